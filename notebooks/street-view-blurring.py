# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Street View blurring lab
#
# A real face detector (OpenCV's bundled Haar cascade) on a real photograph that ships with
# scikit-image: its raw windows, non-maximum suppression from the book's metrics library, the
# score threshold, and a blur that the same detector can no longer see through. Then IoU, NMS and
# AP on generated street scenes, to see how the NMS threshold and the score threshold move recall,
# and why crowds are where NMS fails. It recomputes the chapter's tiling and padding from
# `snippets/street_view_blurring.py`.
#
# Run it yourself: the lab's zip (the download at the top of its page) runs on its own. It holds
# this notebook, the book's modules it imports (`snippets/`) and a `requirements.txt` pinned to the
# versions the book was built with; its `README.txt` gives the three commands. To change the book's
# code as well, clone {{ repository: the project's repository }} and run `scripts/setup`.

# %%
# %config InlineBackend.figure_formats = ["svg"]
import cv2
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle
from skimage import data

import snippets.street_view_blurring as chapter
from snippets.kit.metrics import detection_average_precision, iou, non_max_suppression
from snippets.kit.plotting import MUTED, SERIES, apply_house_style

apply_house_style()
cv2.setNumThreads(1)  # deterministic and polite on a shared two-core machine

# %% [markdown]
# ## A real detector's raw output
#
# OpenCV ships Viola-Jones face cascades inside its wheel, and scikit-image ships the astronaut
# photograph (Eileen Collins, a NASA portrait in the public domain). We ask the cascade for every
# window it accepts (`minNeighbors=0`, so OpenCV's own grouping is off) together with a confidence
# per window, so that we can do the merging ourselves. The true face box below was drawn by hand
# for this lab.

# %%
photo = data.astronaut()
gray = cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY)
cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
TRUE_FACE = (178, 60, 272, 168)  # x1, y1, x2, y2, labelled by hand


def raw_windows(image):
    """Every window the cascade accepts, as (x1, y1, x2, y2) boxes and their confidences."""
    rects, _, weights = cascade.detectMultiScale3(
        image, scaleFactor=1.1, minNeighbors=0, minSize=(24, 24), outputRejectLevels=True)
    boxes = [(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h in rects]
    return boxes, [float(s) for s in np.ravel(weights)]


boxes, scores = raw_windows(gray)
on_face = sum(iou(b, TRUE_FACE) >= 0.5 for b in boxes)
print(f"{len(boxes)} raw windows; {on_face} of them overlap the true face with IoU >= 0.5")

# %% [markdown]
# The cascade fires many times on the one face (neighbouring positions and scales) and a few
# times elsewhere. Non-maximum suppression keeps the best window of each cluster; a score
# threshold then decides which survivors count.

# %%
kept = non_max_suppression(boxes, scores, iou_threshold=0.5)
for score_threshold in (-1.0, 0.0, 2.0):
    survivors = [i for i in kept if scores[i] > score_threshold]
    hits = [i for i in survivors if iou(boxes[i], TRUE_FACE) >= 0.5]
    print(f"score > {score_threshold:+.1f}: {len(survivors)} boxes kept, {len(hits)} on the face, "
          f"{len(survivors) - len(hits)} false positive(s)")

# %%
best = kept[0]
fig, ax = plt.subplots(figsize=(4.2, 4.2))
# In grey, as the detector sees it: a third of the bytes of the colour photo, so the page stays light
# enough for a phone.
ax.imshow(gray, cmap="gray")
for b in boxes:
    ax.add_patch(Rectangle((b[0], b[1]), b[2] - b[0], b[3] - b[1], fill=False, edgecolor=MUTED, linewidth=0.6))
for i in kept:
    b = boxes[i]
    ax.add_patch(Rectangle((b[0], b[1]), b[2] - b[0], b[3] - b[1], fill=False, edgecolor=SERIES[1], linewidth=1.6))
t = TRUE_FACE
ax.add_patch(Rectangle((t[0], t[1]), t[2] - t[0], t[3] - t[1], fill=False, edgecolor=SERIES[0], linewidth=2,
                       linestyle="--"))
ax.set_axis_off()
ax.set_title("Raw windows (thin), kept by NMS (thick), true face (dashed)")
plt.show()

# %% [markdown]
# The astronaut photograph, in grey as the detector sees it, with the cascade's raw windows as thin grey outlines, dozens of them
# clustered on the face and a few scattered over the background and the suit; the boxes that
# non-maximum suppression keeps at IoU 0.5 as thick outlines; and the hand-drawn true face box
# dashed. The best kept box sits on the face; the other survivors are false positives with low
# scores.

# %%
print(f"best box {boxes[best]}, score {scores[best]:.2f}, IoU with the true face {iou(boxes[best], TRUE_FACE):.2f}")

# %% [markdown]
# ## Tiling: why the frame is not simply resized
#
# The chapter's frames are far wider than the detector's tile. Resizing a frame to one tile
# shrinks every object by the factor the chapter computes (`chapter.shrink_factor()`). Shrink the
# photograph by the same factor and ask the detector again.

# %%
factor = chapter.shrink_factor()
small = cv2.resize(gray, None, fx=1 / factor, fy=1 / factor, interpolation=cv2.INTER_AREA)
full_faces = cascade.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=5, minSize=(24, 24))
small_faces = cascade.detectMultiScale(small, scaleFactor=1.05, minNeighbors=3, minSize=(12, 12))
face_px = TRUE_FACE[2] - TRUE_FACE[0]
print(f"shrink factor {factor:.1f}: the face goes from {face_px} to {face_px / factor:.0f} pixels wide")
print(f"faces found at full size: {len(full_faces)}; after shrinking: {len(small_faces)}")
print(f"tiles per frame in the chapter: {chapter.tile_columns()} x {chapter.tile_rows()} "
      f"+ {chapter.A.overview_passes} = {chapter.tiles_per_frame()}")

# %% [markdown]
# ## A blur the detector cannot see through
#
# The blur pads the box by the chapter's margin, then destroys the region: it averages it down to
# a few pixels, adds noise and smooths the result, so the published pixels hold almost nothing of
# the original. A light Gaussian blur, for comparison, keeps enough structure to be found again.


# %%
def padded(box, share, width, height):
    x1, y1, x2, y2 = box
    dx, dy = share * (x2 - x1), share * (y2 - y1)
    return (max(0, int(x1 - dx)), max(0, int(y1 - dy)), min(width, int(x2 + dx)), min(height, int(y2 + dy)))


def irreversible_blur(image, box, rng):
    x1, y1, x2, y2 = box
    region = image[y1:y2, x1:x2].astype(np.float32)
    tiny = cv2.resize(region, (6, 6), interpolation=cv2.INTER_AREA)
    tiny += rng.normal(0, 12, tiny.shape)
    coarse = cv2.resize(tiny, (x2 - x1, y2 - y1), interpolation=cv2.INTER_LINEAR)
    out = image.copy()
    out[y1:y2, x1:x2] = np.clip(cv2.GaussianBlur(coarse, (0, 0), 6), 0, 255).astype(image.dtype)
    return out


def light_blur(image, box):
    x1, y1, x2, y2 = box
    out = image.copy()
    out[y1:y2, x1:x2] = cv2.GaussianBlur(image[y1:y2, x1:x2], (0, 0), 1.5)
    return out


rng = np.random.default_rng(0)
region = padded(boxes[best], chapter.A.blur_padding, photo.shape[1], photo.shape[0])
strong = irreversible_blur(photo, region, rng)
weak = light_blur(photo, region)
for name, image in (("original", photo), ("light Gaussian", weak), ("irreversible", strong)):
    found = cascade.detectMultiScale(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), 1.1, 5, minSize=(24, 24))
    print(f"{name:>15}: faces found {len(found)}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(5.6, 3.0))
x1, y1, x2, y2 = region
for ax, image, title in ((axes[0], weak, "Light Gaussian blur"), (axes[1], strong, "Irreversible blur")):
    ax.imshow(image[max(0, y1 - 20):y2 + 20, max(0, x1 - 20):x2 + 20])
    ax.set_title(title)
    ax.set_axis_off()
plt.show()

# %% [markdown]
# Two crops of the padded face region side by side. On the left, a light Gaussian blur: the eyes,
# nose and mouth are still visible and the detector still finds the face. On the right, the
# irreversible blur: a smooth blotch of skin and hair colours with no features, which the
# detector no longer finds.

# %% [markdown]
# ## NMS and AP on generated street scenes
#
# Now the metrics at scale. Each generated scene has faces, some in crowds where a second face
# overlaps the first; a simulated detector returns two or three jittered boxes per face (scores
# lower for hard faces), misses a few, and adds false positives. We sweep the NMS threshold and
# compute recall at IoU 0.5 and AP50 with the book's metrics library.

# %%
def scene(rng, crowded):
    truths, detections = [], []
    for _ in range(6):
        x, y = rng.uniform(0, 900), rng.uniform(0, 900)
        w = rng.uniform(24, 80)
        truths.append((x, y, x + w, y + 1.2 * w))
        if crowded:  # a second face partly behind the first
            shift = rng.uniform(0.35, 0.6) * w
            truths.append((x + shift, y + 0.1 * w, x + shift + w, y + 1.3 * w))
    for box in truths:
        hard = rng.random() < 0.3
        if rng.random() < 0.05:
            continue  # a miss the detector never sees
        for _ in range(rng.integers(2, 4)):
            w, h = box[2] - box[0], box[3] - box[1]
            jitter = rng.normal(0, 0.06, 4) * np.array([w, h, w, h])
            score = rng.uniform(0.2, 0.6) if hard else rng.uniform(0.5, 1.0)
            detections.append((score, tuple(np.array(box) + jitter)))
    for _ in range(3):
        x, y, w = rng.uniform(0, 900), rng.uniform(0, 900), rng.uniform(20, 60)
        detections.append((rng.uniform(0.0, 0.7), (x, y, x + w, y + w)))
    return truths, detections


def evaluate(scenes, nms_threshold, score_threshold=0.0):
    kept_all, truths_all, recalled, total = [], [], 0, 0
    for n, (truths, detections) in enumerate(scenes):
        found = [b for _, b in detections]
        scores_ = [s for s, _ in detections]
        keep = [i for i in non_max_suppression(found, scores_, nms_threshold) if scores_[i] > score_threshold]
        kept_all += [(n, scores_[i], found[i]) for i in keep]
        truths_all += [(n, t) for t in truths]
        matched = set()
        for i in sorted(keep, key=lambda i: -scores_[i]):
            options = [(iou(found[i], t), j) for j, t in enumerate(truths) if j not in matched]
            if options and max(options)[0] >= 0.5:
                matched.add(max(options)[1])
        recalled += len(matched)
        total += len(truths)
    return recalled / total, detection_average_precision(kept_all, truths_all, 0.5)


rng = np.random.default_rng(7)
sparse = [scene(rng, crowded=False) for _ in range(40)]
crowds = [scene(rng, crowded=True) for _ in range(40)]
thresholds = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
results = {name: [evaluate(s, t) for t in thresholds] for name, s in (("sparse", sparse), ("crowds", crowds))}
for name, rows in results.items():
    print(name, " ".join(f"{t:.1f}: recall {r:.3f} AP50 {a:.3f}" for t, (r, a) in zip(thresholds, rows)))

# %%
fig, ax = plt.subplots(figsize=(5.6, 3.2))
for (name, rows), colour in zip(results.items(), SERIES):
    ax.plot(thresholds, [r for r, _ in rows], marker="o", color=colour, label=f"recall, {name}")
    ax.plot(thresholds, [a for _, a in rows], marker="s", linestyle="--", color=colour, label=f"AP50, {name}")
ax.set_xlabel("NMS IoU threshold")
ax.set_ylabel("Recall / AP50 at IoU 0.5")
ax.legend(ncols=2, fontsize=9)
plt.show()

# %% [markdown]
# Recall (solid) and AP50 (dashed) against the NMS threshold, for sparse scenes and for crowds.
# In sparse scenes recall is flat across thresholds and AP drops only at the highest ones, where
# duplicates survive as false positives. In crowds recall collapses at low thresholds, because NMS
# deletes the second face of each overlapping pair, and recovers as the threshold rises.

# %% [markdown]
# ## The score threshold: the recall-first operating point
#
# With NMS fixed, the score threshold trades recall for false positives. For the chapter's
# system we read recall at a false-positive budget per frame, not AP.

# %%
for score_threshold in (0.0, 0.2, 0.4, 0.6):
    recall, ap = evaluate(crowds, 0.6, score_threshold)
    fps = sum(
        sum(1 for i in non_max_suppression([b for _, b in d], [s for s, _ in d], 0.6)
            if d[i][0] > score_threshold and max(iou(d[i][1], t) for t in truths) < 0.5)
        for truths, d in crowds) / len(crowds)
    print(f"score > {score_threshold:.1f}: recall {recall:.3f}, false positives per scene {fps:.2f}, AP50 {ap:.3f}")

# %% [markdown]
# ## What to take away
#
# - A real detector returns many windows per face; NMS and a score threshold turn them into a
#   decision, and both belong to the model you evaluate.
# - Shrinking a large frame makes faces vanish for the detector: tile at full resolution instead.
# - A light blur is not a privacy blur: the detector still finds the face. Destroy the region.
# - NMS at a low threshold deletes real faces in crowds; for a recall-first system keep it high and
#   let duplicate blurs overlap.
# - Lowering the score threshold buys recall with false positives per frame: choose the point by
#   the false-positive budget, and report recall there, not only AP.
