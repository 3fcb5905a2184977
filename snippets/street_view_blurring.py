"""Street View blurring: the assumptions and every number the chapter shows.

The chapter designs a batch system that finds every face and licence plate in street-level camera
frames and blurs them before publication. This module computes its throughput (frames and tiles a
second, accelerators, accelerator-hours and their cost), the backlog after a week of doubled
capture, storage, annotation effort, the size of the fairness evaluation set, the per-frame time
budget, the audit that decides whether a new model may republish imagery, and the worked
detection example (IoU, non-maximum suppression, AP) through ``snippets/kit/metrics.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from snippets.kit import estimation as est
from snippets.kit import latency, metrics, plan
from snippets.kit.abtest import ABPlan, ab_plan_table, planned_days
from snippets.kit.assume import CONVENTION, PROBLEM, assume, cited, design, thumb
from snippets.kit.display import count, days, fixed, md_table, ms, nbytes, percent, plain, short, times
from snippets.kit.house import HOUSE
from snippets.kit.plan import Phase
from snippets.kit.practice import Drill, Fact, Glance, Grade, Step
from snippets.kit.show import table, value

HOURS = 3600.0


def usd(amount: float) -> str:
    """A dollar amount, three significant figures (for figures, which have no math)."""
    return "$" + short(amount)


def dollars(amount: float) -> str:
    """A dollar amount for a page: the dollar sign escaped, so the math extension never pairs two."""
    return "\\" + usd(amount)


def pixels(n: float) -> str:
    return f"{count(n)} px"


@dataclass(frozen=True)
class Assumptions:
    """Every input of the chapter's arithmetic: the problem statement's values and ours."""

    frames_per_week: float = assume(50_000_000, "New camera frames a week", short, PROBLEM)
    megapixels: float = assume(20, "Megapixels per frame", plain, PROBLEM)
    deadline_hours: float = assume(48, "Hours from upload to published (blurred)", plain, PROBLEM)
    recall_target: float = assume(0.99, "Share of faces and plates blurred automatically", percent, PROBLEM)
    aspect_ratio: float = assume(1.5, "Frame aspect ratio (width / height)", plain, thumb("3:2, a common camera sensor"))
    tile_px: int = assume(1024, "Tile side fed to the detector", pixels, design("the detector's training resolution"))
    tile_overlap_px: int = assume(128, "Overlap between neighbouring tiles", pixels,
                                  design("wider than the largest object the tiles must keep whole"))
    overview_passes: int = assume(1, "Downscaled whole-frame passes for large objects", count,
                                  design("one pass at tile size catches faces too big for a tile"))
    tiles_per_second_per_gpu: float = assume(25, "Detector throughput, tiles a second per accelerator", plain,
                                             thumb("two-stage detector with a feature pyramid, half precision; load-test yours"))
    gpu_utilisation: float = assume(0.7, "Target accelerator utilisation", percent,
                                    thumb("room for retries, stragglers and decode stalls"))
    gpu_hour_dollars: float = assume(1.0, "Cost of one accelerator-hour", dollars, thumb("cloud list prices vary 0.5-3x"))
    bytes_per_pixel: float = assume(0.3, "Stored bytes per pixel (JPEG)", plain, thumb("high-quality JPEG of a street scene"))
    original_retention_weeks: int = assume(26, "Weeks the unblurred originals are kept", count,
                                           design("long enough to re-blur after a model change and to answer reports"))
    objects_per_frame: float = assume(3, "Faces and plates per frame (mean)", plain, thumb("measure on the evaluation set"))
    false_positives_per_frame: float = assume(0.5, "False positives per frame at the operating point", plain,
                                              design("the budget the threshold is set against"))
    annotated_frames: int = assume(200_000, "Frames annotated for training", short, thumb("tens of thousands of tiles per object kind and condition"))
    seconds_per_box: float = assume(7, "Annotator seconds to draw one box", plain, thumb("measure with a pilot batch"))
    seconds_per_frame_review: float = assume(30, "Annotator seconds to search one frame for missed objects", plain,
                                             thumb("a 20-megapixel frame must be zoomed and panned"))
    annotator_hour_dollars: float = assume(25, "Cost of one annotator-hour", dollars, thumb("fully loaded, varies by country"))
    eval_recall: float = assume(0.995, "Recall the fairness set should confirm per subgroup", percent,
                                design("half-way between the target and perfect"))
    eval_margin: float = assume(0.005, "Half-width of that recall's 95% interval", percent,
                                design("so the interval stays at or above the target"))
    eval_subgroups: int = assume(25, "Subgroups reported (skin tone x age, plate formats, conditions)", count,
                                 design("each must be measured on its own"))
    eval_z: float = assume(1.96, "Normal quantile for a 95% interval", fixed, CONVENTION)
    surge_factor: float = assume(2.0, "Capture in the surge week, times normal", times, PROBLEM)
    audited_frames_per_day: float = assume(40_000, "Published frames audited by people a day", short,
                                           thumb("a review team's daily capacity"))
    audit_relative_mde: float = assume(0.10, "Relative change in missed-object rate worth detecting", percent,
                                       design("a tenth of the misses"))
    blur_padding: float = assume(0.2, "Padding added to each side of a box before blurring (share of its size)", percent,
                                 design("covers hair, ears and small localisation errors"))
    frome_face_rate: float = assume(0.89, "Faces sufficiently blurred, Street View 2009 (more than)", percent,
                                    cited("Frome et al. (2009)", "frome2009"))


ASSUMPTIONS = Assumptions()
A = ASSUMPTIONS


# --- throughput -----------------------------------------------------------------------------


def frames_per_day() -> float:
    """Frames arriving on an average day."""
    return A.frames_per_week / 7


@value(short)
def average_frames_per_second() -> float:
    """Frames a second on average over the week."""
    return A.frames_per_week / (7 * HOUSE.seconds_per_day)


@value(short)
def peak_day_frames() -> float:
    """Frames arriving on a peak day (house peak-to-average factor)."""
    return frames_per_day() * HOUSE.peak_to_average


@value(short)
def deadline_frames_per_second() -> float:
    """Frames a second that clear a peak day's upload within the deadline."""
    return peak_day_frames() / (A.deadline_hours * HOURS)


@value(short)
def required_frames_per_second() -> float:
    """The rate to sustain: the larger of the weekly average and the deadline rate."""
    return max(average_frames_per_second(), deadline_frames_per_second())


@value(count)
def frame_width() -> int:
    """Frame width in pixels from the megapixels and the aspect ratio."""
    return round(math.sqrt(A.megapixels * 1e6 * A.aspect_ratio))


@value(count)
def frame_height() -> int:
    return round(math.sqrt(A.megapixels * 1e6 / A.aspect_ratio))


def tiles_along(side_px: int, tile_px: int = A.tile_px, overlap_px: int = A.tile_overlap_px) -> int:
    """Tiles of ``tile_px`` with ``overlap_px`` overlap that cover a side: ceil((side - overlap) / stride)."""
    if side_px <= tile_px:
        return 1
    stride = tile_px - overlap_px
    return math.ceil((side_px - overlap_px) / stride)


@value(count)
def tile_columns() -> int:
    return tiles_along(frame_width())


@value(count)
def tile_rows() -> int:
    return tiles_along(frame_height())


@value(count)
def tiles_per_frame() -> int:
    """Tiles per frame: the overlapping grid plus the downscaled whole-frame passes."""
    return tile_columns() * tile_rows() + A.overview_passes


@value(lambda v: fixed(v, 1))
def shrink_factor() -> float:
    """How many times smaller every object gets if the whole frame is resized to one tile."""
    return frame_width() / A.tile_px


@value(lambda v: times(round(v, 2)))
def overlap_overhead() -> float:
    """Grid pixels the detector reads, over the frame's own pixels."""
    return tile_columns() * tile_rows() * A.tile_px ** 2 / (frame_width() * frame_height())


@value(short)
def required_tiles_per_second() -> float:
    return required_frames_per_second() * tiles_per_frame()


@value(count)
def accelerators() -> int:
    """Accelerators that sustain the required tile rate at the target utilisation."""
    return est.accelerators_needed(required_tiles_per_second(), A.tiles_per_second_per_gpu, A.gpu_utilisation)


@value(short)
def fleet_frames_per_second() -> float:
    """Frames a second the fleet sustains at the target utilisation."""
    return accelerators() * A.tiles_per_second_per_gpu * A.gpu_utilisation / tiles_per_frame()


@value(short)
def accelerator_hours_per_week() -> float:
    """Accelerator-hours of pure detector work for a week's frames."""
    return A.frames_per_week * tiles_per_frame() / A.tiles_per_second_per_gpu / HOURS


def fleet_hours_per_week() -> float:
    """Accelerator-hours a week when the whole fleet runs all week."""
    return accelerators() * 7 * 24


@value(dollars)
def weekly_compute_cost() -> float:
    """Cost of a week's detector work, paid at the target utilisation (autoscaled fleet)."""
    return accelerator_hours_per_week() / A.gpu_utilisation * A.gpu_hour_dollars


@value(dollars)
def weekly_fleet_cost() -> float:
    """Cost of keeping the peak-sized fleet up all week."""
    return fleet_hours_per_week() * A.gpu_hour_dollars


@value(lambda v: "\\$" + fixed(v, 4))
def cost_per_frame() -> float:
    return weekly_compute_cost() / A.frames_per_week


@table
def throughput_table() -> str:
    """From frames to accelerators and their cost."""
    rows = [
        ("Frames a second, weekly average", "frames a week / seconds in a week", short(average_frames_per_second())),
        ("Frames on a peak day", f"daily average x {times(HOUSE.peak_to_average)} (house factor)", short(peak_day_frames())),
        ("Frames a second to clear a peak day in time", "peak day / deadline", short(deadline_frames_per_second())),
        ("Frames a second to sustain", "the larger of the two", short(required_frames_per_second())),
        ("Frame size", "megapixels and aspect ratio", f"{count(frame_width())} x {count(frame_height())} px"),
        ("Tiles per frame", f"{tile_columns()} x {tile_rows()} grid + {A.overview_passes} whole-frame pass",
         count(tiles_per_frame())),
        ("Tiles a second", "frames a second x tiles per frame", short(required_tiles_per_second())),
        ("Accelerators", "tiles a second / (per-accelerator rate x utilisation)", count(accelerators())),
        ("Accelerator-hours a week (detector)", "frames x tiles / rate / 3,600", short(accelerator_hours_per_week())),
        ("Weekly cost, autoscaled", "accelerator-hours / utilisation x price", dollars(weekly_compute_cost())),
        ("Weekly cost, fleet always up", "accelerators x 168 h x price", dollars(weekly_fleet_cost())),
    ]
    return md_table(["Quantity", "How", "Value"], rows, align="llr")


# --- the surge week -------------------------------------------------------------------------


@value(short)
def surge_frames_per_second() -> float:
    """Arrivals a second during the week of doubled capture."""
    return average_frames_per_second() * A.surge_factor


@value(short)
def surge_backlog_frames() -> float:
    """Frames waiting at the end of the surge week: (arrivals - capacity) x a week, never negative."""
    return max(0.0, surge_frames_per_second() - fleet_frames_per_second()) * 7 * HOUSE.seconds_per_day


@value(lambda v: days(round(v, 1)))
def surge_drain_days() -> float:
    """Days to drain that backlog afterwards, with normal arrivals and the same fleet."""
    spare = fleet_frames_per_second() - average_frames_per_second()
    return surge_backlog_frames() / spare / HOUSE.seconds_per_day


@value(count)
def surge_accelerators() -> int:
    """Accelerators that would keep up with the surge week itself."""
    return est.accelerators_needed(surge_frames_per_second() * tiles_per_frame(), A.tiles_per_second_per_gpu,
                                   A.gpu_utilisation)


@table
def surge_table() -> str:
    """A week of doubled capture against the fixed fleet."""
    rows = [
        ("Arrivals in the surge week", f"{times(A.surge_factor)} the weekly average", f"{short(surge_frames_per_second())} frames/s"),
        ("What the fleet sustains", "accelerators x rate x utilisation / tiles", f"{short(fleet_frames_per_second())} frames/s"),
        ("Backlog after the week", "(arrivals - capacity) x one week", f"{short(surge_backlog_frames())} frames"),
        ("Days to drain it", "backlog / (capacity - normal arrivals)", days(round(surge_drain_days(), 1))),
        ("Accelerators to keep up instead", "surge tiles a second / (rate x utilisation)", count(surge_accelerators())),
    ]
    return md_table(["Quantity", "How", "Value"], rows, align="llr")


# --- storage, annotation, evaluation set ----------------------------------------------------


def bytes_per_frame() -> float:
    return A.megapixels * 1e6 * A.bytes_per_pixel


@value(nbytes)
def weekly_bytes() -> float:
    """One week's frames, stored once."""
    return A.frames_per_week * bytes_per_frame()


@value(nbytes)
def original_store_bytes() -> float:
    """The access-controlled store of unblurred originals at its retention."""
    return weekly_bytes() * A.original_retention_weeks


@value(short)
def objects_per_week() -> float:
    return A.frames_per_week * A.objects_per_frame


@value(short)
def missed_per_week_at_target() -> float:
    """Objects the automatic system may miss in a week at exactly the recall target."""
    return objects_per_week() * (1 - A.recall_target)


@value(short)
def false_positives_per_week() -> float:
    return A.frames_per_week * A.false_positives_per_frame


@value(short)
def annotated_boxes() -> float:
    return A.annotated_frames * A.objects_per_frame


@value(short)
def annotation_hours() -> float:
    """Annotator-hours: every frame searched once, every box drawn once."""
    return A.annotated_frames * (A.seconds_per_frame_review + A.objects_per_frame * A.seconds_per_box) / HOURS


@value(dollars)
def annotation_cost() -> float:
    return annotation_hours() * A.annotator_hour_dollars


@value(count)
def eval_objects_per_subgroup() -> int:
    """Objects per subgroup so a recall near ``eval_recall`` has a 95% half-width of ``eval_margin``:
    n = z^2 p (1 - p) / m^2 (normal approximation), rounded up."""
    p = A.eval_recall
    return math.ceil(A.eval_z ** 2 * p * (1 - p) / A.eval_margin ** 2)


@value(short)
def eval_objects_total() -> int:
    return eval_objects_per_subgroup() * A.eval_subgroups


@table
def storage_and_labels_table() -> str:
    """Storage, objects, annotation and the evaluation set."""
    rows = [
        ("Bytes per frame", "pixels x bytes per pixel", nbytes(bytes_per_frame())),
        ("Frames stored a week", "frames x bytes per frame", nbytes(weekly_bytes())),
        ("Unblurred originals kept", f"weekly bytes x {A.original_retention_weeks} weeks", nbytes(original_store_bytes())),
        ("Faces and plates a week", "frames x objects per frame", short(objects_per_week())),
        ("Misses a week allowed by the target", "objects x (1 - recall target)", short(missed_per_week_at_target())),
        ("False positives a week", "frames x false positives per frame", short(false_positives_per_week())),
        ("Training boxes", "annotated frames x objects per frame", short(annotated_boxes())),
        ("Annotator-hours", "frames x (search + boxes x seconds per box) / 3,600", short(annotation_hours())),
        ("Annotation cost", "hours x hourly cost", dollars(annotation_cost())),
        ("Evaluation objects per subgroup", "1.96² p(1 - p) / margin²", count(eval_objects_per_subgroup())),
        ("Evaluation objects, all subgroups", "per subgroup x subgroups", short(eval_objects_total())),
    ]
    return md_table(["Quantity", "How", "Value"], rows, align="llr")


# --- per-frame time budget ------------------------------------------------------------------


@value(lambda v: ms(v))
def frame_budget_ms() -> float:
    """Wall-clock time one accelerator may spend per frame at the target utilisation."""
    return 1000 * tiles_per_frame() / (A.tiles_per_second_per_gpu * A.gpu_utilisation)


@value(lambda v: ms(v))
def detect_ms_per_frame() -> float:
    return 1000 * tiles_per_frame() / A.tiles_per_second_per_gpu


#: One accelerator worker's time per frame, stage by stage. Decoding, tiling, blurring and encoding
#: run on the host's CPUs in parallel with the accelerator, so they overlap the detector; merging
#: and NMS run on the accelerator after the tiles.
FRAME_BUDGET = latency.LatencyBudget(frame_budget_ms(), (
    latency.Stage("load", "Fetch, decode, tile (CPU, overlapped)",
                  branches=(("decode and tile", 0.2 * frame_budget_ms()), ("accelerator idle", 0.0))),
    latency.Stage("detect", "Detector on every tile", detect_ms_per_frame()),
    latency.Stage("merge", "Map boxes to frame, NMS", 0.02 * frame_budget_ms()),
))


@table
def frame_budget_table() -> str:
    """The per-frame time budget of one accelerator worker."""
    return latency.latency_budget_table(FRAME_BUDGET)


@value(percent)
def detector_share() -> float:
    return FRAME_BUDGET.share("detect")


# --- the audit that decides a model change ----------------------------------------------------


@value(percent)
def frame_miss_rate() -> float:
    """Share of frames with at least one missed object at the recall target, objects independent."""
    return 1 - A.recall_target ** A.objects_per_frame


AUDIT = ABPlan(
    metric="share of audited frames with a face or plate left unblurred",
    baseline_rate=1 - A.recall_target ** A.objects_per_frame,
    relative_mde=A.audit_relative_mde,
    daily_users=A.audited_frames_per_day,
    traffic_fraction=1.0,
    unit="frames",
)


@table
def audit_table() -> str:
    """The paired audit: frames per model version and how long it runs."""
    return ab_plan_table(AUDIT)


@value(count)
def audit_frames_per_arm() -> int:
    return AUDIT.sample_per_arm()


@value(lambda v: days(v))
def audit_days() -> int:
    return AUDIT.planned_days()


# --- the worked detection example ------------------------------------------------------------

#: Ground truth in one street scene: two faces, one partly behind the other, and a plate,
#: as (x1, y1, x2, y2) in pixels.
TRUTH = (
    ("face_a", (100, 100, 140, 150)),
    ("face_b", (120, 104, 160, 154)),
    ("plate", (300, 220, 360, 240)),
)

#: Raw detector output before NMS: (id, score, box). Two boxes per face, one plate box,
#: one stray box on a tree.
RAW_DETECTIONS = (
    ("d1", 0.95, (102, 101, 141, 151)),
    ("d2", 0.90, (98, 98, 138, 149)),
    ("d3", 0.85, (121, 103, 161, 152)),
    ("d4", 0.80, (301, 219, 358, 241)),
    ("d5", 0.40, (420, 40, 450, 80)),
    ("d6", 0.30, (300, 224, 340, 244)),
)


def nms_threshold_default() -> float:
    return 0.5


@value(lambda v: fixed(v, 2))
def truth_iou() -> float:
    """IoU of the two neighbouring faces' true boxes."""
    return metrics.iou(TRUTH[0][1], TRUTH[1][1])


def detection_iou(a: str, b: str) -> float:
    boxes = {d: box for d, _, box in RAW_DETECTIONS}
    return metrics.iou(boxes[a], boxes[b])


@value(lambda v: fixed(v, 2))
def pair_iou(pair: str) -> float:
    """IoU of two raw detections, named ``"d1-d2"``."""
    a, b = pair.split("-")
    return detection_iou(a, b)


def kept_after_nms(threshold: float) -> list[str]:
    ids = [d for d, _, _ in RAW_DETECTIONS]
    kept = metrics.non_max_suppression([box for _, _, box in RAW_DETECTIONS], [s for _, s, _ in RAW_DETECTIONS], threshold)
    return [ids[i] for i in kept]


def _detections_for_ap(threshold: float) -> list[tuple[str, float, tuple]]:
    keep = set(kept_after_nms(threshold))
    return [("scene", s, box) for d, s, box in RAW_DETECTIONS if d in keep]


def _truths_for_ap() -> list[tuple[str, tuple]]:
    return [("scene", box) for _, box in TRUTH]


@value(lambda v: fixed(v, 3))
def example_ap(threshold: float) -> float:
    """All-points AP at IoU 0.5 after NMS at ``threshold``."""
    return metrics.detection_average_precision(_detections_for_ap(threshold), _truths_for_ap(), 0.5)


@value(percent)
def example_recall(threshold: float) -> float:
    """Recall at IoU 0.5 of all detections kept by NMS at ``threshold``."""
    kept = _detections_for_ap(threshold)
    truths = [box for _, box in TRUTH]
    matched = set()
    for _, _, box in sorted(kept, key=lambda d: -d[1]):
        best = max(((metrics.iou(box, t), j) for j, t in enumerate(truths) if j not in matched), default=(0, -1))
        if best[0] >= 0.5:
            matched.add(best[1])
    return len(matched) / len(truths)


@value(lambda v: fixed(v, 3))
def example_coco_map(threshold: float) -> float:
    """COCO-style AP (101 points, IoU 0.50:0.95) after NMS at ``threshold``."""
    return metrics.coco_average_precision(_detections_for_ap(threshold), _truths_for_ap())


@table
def raw_detections_table() -> str:
    """The raw detections, their best IoU with a true box, and what NMS at 0.5 does to them."""
    kept = set(kept_after_nms(nms_threshold_default()))
    rows = []
    for d, score, box in RAW_DETECTIONS:
        best_name, best = max(((name, metrics.iou(box, t)) for name, t in TRUTH), key=lambda x: x[1])
        rows.append((d, fixed(score, 2), str(box), f"{best_name} {fixed(best, 2)}" if best > 0 else "none",
                     "kept" if d in kept else "suppressed"))
    return md_table(["Detection", "Score", "Box (x1, y1, x2, y2)", "Best true box, IoU", "NMS at 0.5"], rows,
                    align="lrlll")


NMS_SWEEP = (0.3, 0.5, 0.7, 0.9)


@table
def nms_sweep_table() -> str:
    """How the NMS threshold moves what survives, recall and AP on the example."""
    rows = [(fixed(t, 1), ", ".join(kept_after_nms(t)), percent(example_recall(t)), fixed(example_ap(t), 3),
             fixed(example_coco_map(t), 3)) for t in NMS_SWEEP]
    return md_table(["NMS IoU threshold", "Kept", "Recall (IoU 0.5)", "AP50", "COCO AP"], rows, align="rlrrr")


# --- the interview -------------------------------------------------------------------------

INTERVIEW_PLAN: tuple[Phase, ...] = (
    Phase("Clarify requirements", 5, "recall target, object kinds, deadline, reports, what 'blurred' means"),
    Phase("Frame as an ML task", 4, "detection of two classes; recall at a false-positive budget"),
    Phase("Back of the envelope", 6, "frames/s, tiles per frame, accelerators, cost, surge backlog"),
    Phase("Data and labels", 7, "boxes, hard negatives, subgroup evaluation set"),
    Phase("Model", 9, "two-stage vs one-stage, feature pyramid, tiling, NMS"),
    Phase("Evaluation", 6, "AP50, recall at FP per frame, subgroup recall, the audit"),
    Phase("Pipeline and feedback", 5, "batch DAG, blur, originals, reports, re-blur"),
    Phase("Wrap-up and trade-offs", 3, "what we gave up and when we would change it"),
)


@table
def interview_timeline_table() -> str:
    """The 45-minute plan for this problem."""
    return plan.interview_plan_table(INTERVIEW_PLAN)


# Practice material (snippets/kit/practice.py): the cheat sheet, the rubric and the drills
# --------------------------------------------------------------------------------------------

GLANCE = Glance(
    surface="Published street-level panoramas, every face and plate blurred before anyone sees them",
    users=Fact("New camera frames a week", A.frames_per_week, fmt=short),
    traffic=Fact("Frames a second to clear a peak day within the deadline", required_frames_per_second),
    latency=Fact("From upload to published, blurred", A.deadline_hours, fmt=lambda hours: f"{plain(hours)} h"),
    funnel=(
        Fact("Detector tiles per second, peak day", required_tiles_per_second),
        Fact("Frames per second, peak day", required_frames_per_second),
        Fact("Faces and plates captured a week", objects_per_week),
        Fact("Left unblurred a week at the recall target, for reports and the audit", missed_per_week_at_target),
    ),
    model="Overlapping full-resolution tiles plus a downscaled whole-frame pass; a two-stage detector with a "
          "feature pyramid (face, plate); boxes mapped to the frame, per-class NMS, a recall-first score "
          "threshold; a padded, irreversible blur",
    offline_metric="Recall of faces and plates at a fixed budget of false positives per frame, overall and per "
                   "subgroup with its confidence interval; AP50 beside it",
    online_metric="Share of published frames in which a blind human audit finds a face or plate unblurred; "
                  "reports of misses per million published frames as a trend alarm",
    memory=Fact("Store of unblurred originals at its retention", original_store_bytes),
    trade_offs=(
        "The threshold sits at a budget of false positives per frame, not at the best F1: a blurred tree "
        "costs a little image quality and a missed face is a public privacy failure, so precision is "
        "recovered afterwards, never bought with recall.",
        "Overlapping full-resolution tiles keep a distant plate detectable but multiply the detector's work "
        "per frame and produce duplicate boxes; resizing the frame to one tile would be cheap and would "
        "lose every small object.",
        "The fleet is sized for a peak day, not for a surge week, so a doubled week backs up for days; "
        "autoscaling and oldest-first order absorb it, and the pipeline fails closed rather than publish "
        "anything unblurred to catch up.",
    ),
)

RUBRIC: tuple[Grade, ...] = (
    Grade("Clarify requirements",
          strong="Asks what counts as a face and a plate, what \"blurred\" means (irreversible), whether the "
                 "recall target holds per subgroup, the false-positive tolerance, the deadline and whether "
                 "originals are kept; notes that an object recall still leaves misses in a few percent of frames.",
          adequate="Gets the recall target, the volume and the deadline, but leaves what a face is, what "
                   "irreversible means or the per-subgroup reading of the target unasked.",
          weak="Starts naming detectors before asking what must be blurred, how well, or how fast."),
    Grade("Frame as an ML task",
          strong="Chooses two-class object detection over frame classification and segmentation, and makes "
                 "recall at a fixed false-positive budget per frame the decision metric, with AP only as a "
                 "summary, because a miss costs far more than a blurred tree.",
          adequate="Frames it as detection with AP or mAP as the target, without saying where on the curve "
                   "the system runs or why the two errors differ.",
          weak="Frames it as \"does this frame contain a face?\", which cannot say where to blur."),
    Grade("Back of the envelope",
          strong="Derives the weekly average and the peak-day rate the deadline forces, the frame's pixel size, "
                 "the overlapping tile grid and tiles per frame, the accelerators at a utilisation target, the "
                 "weekly cost, and what a surge week does to the backlog.",
          adequate="Gets frames a second and an accelerator count, but sizes for the weekly average or forgets "
                   "that one frame is many detector passes.",
          weak="Treats a frame as one forward pass, or quotes a fleet size without the chain of rates."),
    Grade("Data and labels",
          strong="Boxes with subgroup attributes, completeness as the annotator's real job (a missing box "
                 "teaches that a face is background), split by drive, hard negatives and report-fed hard "
                 "positives, and an evaluation set sized per subgroup from the interval width.",
          adequate="Box labels, augmentation and some fairness concern, but no split by drive or no sizing of "
                   "the per-subgroup evaluation set.",
          weak="\"Use a public face dataset\", with nothing on plates, street conditions or subgroups."),
    Grade("Model",
          strong="Compares two-stage and one-stage detectors for small objects, explains anchors sized for wide "
                 "plates and the feature pyramid, tiling with overlap plus a whole-frame pass, and NMS with its "
                 "crowd failure and why the threshold stays high.",
          adequate="Picks a reasonable detector and mentions NMS, but resizes the frame or tiles without "
                   "overlap, or never says how NMS can delete a real face.",
          weak="Names a detector family and stops; no word on small objects, tiling or duplicate boxes."),
    Grade("Evaluation",
          strong="Recall at the operating point per subgroup with intervals, AP50 and COCO AP beside it, NMS "
                 "counted as part of the model, the audited miss rate online, and a blind paired audit "
                 "(sized like an A/B test) instead of showing viewers a worse model.",
          adequate="Offline AP and recall, and an audit of published frames, but no per-subgroup gate or no "
                   "sizing of the audit.",
          weak="Proposes an A/B test on viewers, or accuracy, or AP alone."),
    Grade("Pipeline and feedback",
          strong="An idempotent batch graph (ingest, tile, detect, merge, blur, publish) keyed by frame and "
                 "model version, fail closed, autoscaling on queue age, originals under access control, "
                 "reports to hard positives, and re-blur that only ever adds blur.",
          adequate="A sensible batch pipeline and a report queue, without the fail-closed rule or how a new "
                   "model treats already-published imagery.",
          weak="An online request path with a latency budget, or no path from reports back to training."),
    Grade("Wrap-up and trade-offs",
          strong="Names what the design gave up (image quality for recall, compute for tiling, freshness "
                 "during surges for privacy, a guarded store for re-blur) and the next experiment: a one-stage "
                 "detector compared at the same false positives per frame.",
          adequate="Summarises the design without naming what it sacrificed.",
          weak="Runs out of time before any summary."),
)


def _frame_rate_steps(a: Assumptions) -> list[Step]:
    average = a.frames_per_week / (7 * HOUSE.seconds_per_day)
    peak_day = a.frames_per_week / 7 * HOUSE.peak_to_average
    deadline = peak_day / (a.deadline_hours * HOURS)
    return [
        Step("Frames a second, weekly average", f"{short(a.frames_per_week)} frames ÷ (7 × "
             f"{count(HOUSE.seconds_per_day)} s)", average, short),
        Step("Frames on a peak day", f"{short(a.frames_per_week)} ÷ 7 × {times(HOUSE.peak_to_average)}", peak_day, short),
        Step("Frames a second to clear it in time", f"peak day ÷ ({plain(a.deadline_hours)} h × {count(HOURS)} s)",
             deadline, short),
        Step("Frames a second to sustain", "the larger of the average and the deadline rate", max(average, deadline),
             short),
    ]


def _tile_steps(a: Assumptions) -> list[Step]:
    width = round(math.sqrt(a.megapixels * 1e6 * a.aspect_ratio))
    height = round(math.sqrt(a.megapixels * 1e6 / a.aspect_ratio))
    columns = tiles_along(width, a.tile_px, a.tile_overlap_px)
    rows = tiles_along(height, a.tile_px, a.tile_overlap_px)
    stride = a.tile_px - a.tile_overlap_px
    return [
        Step("Frame size", f"√({plain(a.megapixels)} M px × {plain(a.aspect_ratio)}) wide, "
             f"√({plain(a.megapixels)} M px ÷ {plain(a.aspect_ratio)}) high: {count(width)} × {count(height)} px",
             width, pixels),
        Step("Tile grid", f"stride {pixels(a.tile_px)} − {pixels(a.tile_overlap_px)} = {pixels(stride)}; "
             f"({count(width)} − {count(a.tile_overlap_px)}) ÷ {count(stride)} columns × "
             f"({count(height)} − {count(a.tile_overlap_px)}) ÷ {count(stride)} rows, each rounded up, "
             f"= {columns} × {rows}",
             columns * rows, count),
        Step("Tiles per frame", f"grid + {count(a.overview_passes)} whole-frame pass",
             columns * rows + a.overview_passes, count),
    ]


def _tiles_per_frame(a: Assumptions) -> int:
    return _tile_steps(a)[-1].value


def _accelerator_steps(a: Assumptions) -> list[Step]:
    steps = _frame_rate_steps(a)
    tiles = _tiles_per_frame(a)
    rate = steps[-1].value * tiles
    return steps + [
        Step("Tiles a second", f"frames a second × {count(tiles)} tiles per frame", rate, short),
        Step("Accelerators", f"tiles a second ÷ ({plain(a.tiles_per_second_per_gpu)} tiles/s × "
             f"{percent(a.gpu_utilisation)} utilisation), rounded up",
             est.accelerators_needed(rate, a.tiles_per_second_per_gpu, a.gpu_utilisation), count),
    ]


def _cost_steps(a: Assumptions) -> list[Step]:
    tiles = _tiles_per_frame(a)
    hours = a.frames_per_week * tiles / a.tiles_per_second_per_gpu / HOURS
    return [
        Step("Accelerator-hours of detector work a week", f"{short(a.frames_per_week)} frames × {count(tiles)} tiles ÷ "
             f"{plain(a.tiles_per_second_per_gpu)} tiles/s ÷ {count(HOURS)} s", hours, short),
        Step("Weekly cost, autoscaled", f"hours ÷ {percent(a.gpu_utilisation)} utilisation × "
             f"{dollars(a.gpu_hour_dollars)} an hour", hours / a.gpu_utilisation * a.gpu_hour_dollars, dollars),
    ]


def _surge_steps(a: Assumptions) -> list[Step]:
    fleet = _accelerator_steps(a)[-1].value
    tiles = _tiles_per_frame(a)
    average = a.frames_per_week / (7 * HOUSE.seconds_per_day)
    capacity = fleet * a.tiles_per_second_per_gpu * a.gpu_utilisation / tiles
    arrivals = average * a.surge_factor
    week = 7 * HOUSE.seconds_per_day
    backlog = max(0.0, arrivals - capacity) * week
    return [
        Step("Accelerators sized for a peak day", "as in the throughput table", fleet, count),
        Step("Frames a second the fleet sustains", f"{count(fleet)} × {plain(a.tiles_per_second_per_gpu)} tiles/s × "
             f"{percent(a.gpu_utilisation)} ÷ {count(tiles)} tiles", capacity, short),
        Step("Arrivals in the surge week", f"{short(average)} frames/s average × {times(a.surge_factor)}", arrivals, short),
        Step("Backlog after the week", f"(arrivals − capacity) × {count(week)} s, never negative", backlog, short),
        Step("Days to drain it", "backlog ÷ (capacity − average arrivals) ÷ 86,400 s",
             backlog / (capacity - average) / HOUSE.seconds_per_day, lambda v: days(round(v, 1))),
    ]


def _storage_steps(a: Assumptions) -> list[Step]:
    per_frame = a.megapixels * 1e6 * a.bytes_per_pixel
    weekly = a.frames_per_week * per_frame
    return [
        Step("Bytes per frame", f"{plain(a.megapixels)} M px × {plain(a.bytes_per_pixel)} bytes", per_frame, nbytes),
        Step("A week of frames", f"{short(a.frames_per_week)} frames × bytes per frame", weekly, nbytes),
        Step("Originals at their retention", f"weekly bytes × {count(a.original_retention_weeks)} weeks",
             weekly * a.original_retention_weeks, nbytes),
    ]


def _annotation_steps(a: Assumptions) -> list[Step]:
    per_frame = a.seconds_per_frame_review + a.objects_per_frame * a.seconds_per_box
    hours = a.annotated_frames * per_frame / HOURS
    return [
        Step("Annotator seconds per frame", f"{plain(a.seconds_per_frame_review)} s searching + "
             f"{plain(a.objects_per_frame)} boxes × {plain(a.seconds_per_box)} s", per_frame, plain),
        Step("Annotator-hours", f"{short(a.annotated_frames)} frames × seconds per frame ÷ {count(HOURS)} s",
             hours, short),
        Step("Annotation cost", f"hours × {dollars(a.annotator_hour_dollars)} an hour",
             hours * a.annotator_hour_dollars, dollars),
    ]


def _eval_steps(a: Assumptions) -> list[Step]:
    p = a.eval_recall
    per_subgroup = math.ceil(a.eval_z ** 2 * p * (1 - p) / a.eval_margin ** 2)
    return [
        Step("Objects per subgroup", f"{fixed(a.eval_z, 2)}² × {percent(p)} × {percent(1 - p)} ÷ "
             f"{percent(a.eval_margin)}², rounded up", per_subgroup, count),
        Step("Evaluation objects, all subgroups", f"per subgroup × {count(a.eval_subgroups)} subgroups",
             per_subgroup * a.eval_subgroups, short),
    ]


def _missed_steps(a: Assumptions) -> list[Step]:
    objects = a.frames_per_week * a.objects_per_frame
    return [
        Step("Faces and plates a week", f"{short(a.frames_per_week)} frames × {plain(a.objects_per_frame)} objects",
             objects, short),
        Step("Misses a week at the recall target", f"objects × (1 − {percent(a.recall_target)})",
             objects * (1 - a.recall_target), short),
    ]


def _audit_steps(a: Assumptions) -> list[Step]:
    baseline = 1 - a.recall_target ** a.objects_per_frame
    n = est.ab_test_sample_size(baseline, a.audit_relative_mde, alpha=HOUSE.alpha, power=HOUSE.power)
    return [
        Step("Frames with a miss at the target", f"1 − {percent(a.recall_target)} to the power "
             f"{plain(a.objects_per_frame)} objects per frame", baseline, percent),
        Step("Audited frames per model", f"two-proportion z-test for a {percent(a.audit_relative_mde)} relative "
             f"change, α = {fixed(HOUSE.alpha, 2)}, power {percent(HOUSE.power)} "
             "([formula](reference/experiments.md#the-formula))", n, count),
    ]


def _audit_day_steps(a: Assumptions) -> list[Step]:
    steps = _audit_steps(a)
    n = steps[-1].value
    enrol = est.ab_test_duration_days(n, a.audited_frames_per_day, n_arms=2, traffic_fraction=1.0)
    return steps + [
        Step("Days of auditing", f"2 models × frames per model ÷ {short(a.audited_frames_per_day)} a day, rounded up",
             enrol, days),
        Step("Audit length", "rounded up to whole weeks, at least the house minimum", planned_days(enrol), days),
    ]


def _frame_budget_steps(a: Assumptions) -> list[Step]:
    tiles = _tiles_per_frame(a)
    return [
        Step("Tiles per frame", "the overlapping grid plus the whole-frame pass", tiles, count),
        Step("One accelerator's time per frame", f"1,000 ms × {count(tiles)} tiles ÷ ({plain(a.tiles_per_second_per_gpu)} "
             f"tiles/s × {percent(a.gpu_utilisation)})",
             1000 * tiles / (a.tiles_per_second_per_gpu * a.gpu_utilisation), ms),
    ]


DRILLS: tuple[Drill, ...] = (
    Drill("More cars on the road", "The service adds cars in three new regions and weekly capture rises. How "
          "many accelerators does the detector fleet need?",
          {"frames_per_week": 80_000_000}, _accelerator_steps, accelerators),
    Drill("A next-day promise", "Product wants imagery live within a day of upload. What frame rate must the "
          "pipeline sustain?", {"deadline_hours": 24}, _frame_rate_steps, required_frames_per_second),
    Drill("A relaxed deadline", "Legal review adds days before publication anyway, so the deadline becomes four "
          "days. What frame rate must the pipeline sustain now, and which rate sets it?",
          {"deadline_hours": 96}, _frame_rate_steps, required_frames_per_second),
    Drill("Sharper cameras", "The next camera generation shoots larger frames. How many detector tiles does one "
          "frame cost?", {"megapixels": 36}, _tile_steps, tiles_per_frame),
    Drill("A wider overlap", "Faces near the car are cut at tile edges, so the overlap doubles. How many tiles "
          "per frame?", {"tile_overlap_px": 256}, _tile_steps, tiles_per_frame),
    Drill("A one-stage detector", "A one-stage detector with focal loss matches recall at the same false "
          "positives per frame and runs faster per tile. How many accelerators now?",
          {"tiles_per_second_per_gpu": 60}, _accelerator_steps, accelerators),
    Drill("Pre-emptible capacity", "The bulk of the fleet moves to cheaper pre-emptible accelerators, but "
          "pre-emptions lower the utilisation you can plan for. What does a week of detection cost?",
          {"gpu_hour_dollars": 0.4, "gpu_utilisation": 0.6}, _cost_steps, weekly_compute_cost),
    Drill("A tripled week", "A re-drive after a camera recall triples capture for a week, with the fleet left "
          "as it is. How long does the backlog take to drain afterwards?",
          {"surge_factor": 3.0}, _surge_steps, surge_drain_days),
    Drill("A year of originals", "Legal asks to keep the unblurred originals for a year, and the camera team "
          "raises the JPEG quality. How large is the store of originals?",
          {"original_retention_weeks": 52, "bytes_per_pixel": 0.4}, _storage_steps, original_store_bytes),
    Drill("Finer subgroups", "The fairness review splits skin tone, age and plate format more finely and wants "
          "a tighter interval. How many labelled objects does the evaluation set need?",
          {"eval_subgroups": 60, "eval_margin": 0.004}, _eval_steps, eval_objects_total),
    Drill("Pre-annotation", "The current model proposes boxes, so annotators search each frame faster, and the "
          "team labels more frames. What does annotation cost?",
          {"seconds_per_frame_review": 12, "annotated_frames": 400_000}, _annotation_steps, annotation_cost),
    Drill("Crowded streets", "The service expands into dense city centres where a frame holds many more faces "
          "and plates. How many objects a week may the system miss at exactly its recall target?",
          {"objects_per_frame": 8}, _missed_steps, missed_per_week_at_target),
    Drill("A better baseline, a harder audit", "The recall target rises. How many audited frames per model does "
          "the release audit need to detect the same relative change in misses?",
          {"recall_target": 0.995}, _audit_steps, audit_frames_per_arm),
    Drill("A finer audit with fewer auditors", "The team wants to detect half the relative change, and the review "
          "team shrinks. How long does the release audit run?",
          {"audit_relative_mde": 0.05, "audited_frames_per_day": 20_000}, _audit_day_steps, audit_days),
    Drill("A heavier backbone", "A larger backbone raises recall on distant plates but halves the tiles a second "
          "per accelerator. How much of one accelerator's time does a frame take at the target utilisation?",
          {"tiles_per_second_per_gpu": 12.5}, _frame_budget_steps, frame_budget_ms),
)
