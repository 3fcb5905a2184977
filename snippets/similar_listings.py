"""Similar listings (a carousel of look-alike homes on every listing page): every number the chapter shows.

``docs/similar-listings.md`` designs the similar-listings carousel of a vacation-rental marketplace:
listing embeddings learned with skip-gram and negative sampling from browsing sessions (the booked
listing as a global context, negatives drawn from the same market), cold-start vectors for new
listings, and a serving path that finds nearest neighbours inside the market and the dates, filters
them and re-ranks them. From the assumptions below this module computes the traffic, the sessions
and skip-gram pairs a day, the embedding table, the cost of an exact in-market scan, the funnel and
latency budget of one request, the A/B test, and the worked examples (one session turned into
training pairs; the booked listing's rank as an offline metric). Shared formulas live in the kit.
"""

from __future__ import annotations

from dataclasses import dataclass

from snippets.kit import estimation as est
from snippets.kit import latency, plan
from snippets.kit.abtest import ABPlan, ab_plan_table
from snippets.kit.assume import PROBLEM, assume, cited, design, thumb
from snippets.kit.display import count, days, fixed, md_table, ms, nbytes, percent, plain, short, times
from snippets.kit.house import HOUSE
from snippets.kit.metrics import hit_rate_at_k, mean_reciprocal_rank
from snippets.kit.plan import Phase
from snippets.kit.practice import Drill, Fact, Glance, Grade, Step, ab_days_steps, ab_sample_steps, stage_budget_steps
from snippets.kit.show import table, value

GRBOVIC = "Grbovic & Cheng (2018)"


@dataclass(frozen=True)
class Assumptions:
    """Every input of the chapter's arithmetic. The problem statement fixes three; the rest are ours."""

    # The problem statement
    active_listings: float = assume(7_000_000, "Active listings", short, PROBLEM)
    listing_views_per_day: float = assume(20_000_000, "Listing-page views per day", short, PROBLEM)
    latency_target_ms: float = assume(100, "Carousel latency target", ms, PROBLEM)

    # Sessions (how the logs become sentences)
    session_gap_minutes: float = assume(30, "Inactivity gap that ends a session (minutes)", plain,
                                        cited(GRBOVIC + ", Section 3.1", "grbovic2018"))
    min_dwell_seconds: float = assume(30, "Shortest dwell that counts as a click (seconds)", plain,
                                      cited(GRBOVIC + ", Section 4.1", "grbovic2018"))
    min_clicks_per_session: int = assume(2, "Fewest clicks a kept session has", count,
                                         cited(GRBOVIC + ", Section 4.1", "grbovic2018"))
    kept_view_share: float = assume(0.80, "Share of views that survive the dwell filter", percent,
                                    thumb("measure it from the logs"))
    clicks_per_session: float = assume(6, "Listing clicks per kept session (mean)", plain, thumb())
    booked_session_share: float = assume(0.04, "Share of kept sessions that end in a booking", percent, thumb())
    booked_oversampling: float = assume(5, "Oversampling of booked sessions in training", plain,
                                        cited(GRBOVIC + ", Section 4.1", "grbovic2018"))
    training_days: int = assume(90, "Days of sessions in the training window", count,
                                thumb("the paper says 'multiple months'"))

    # The model
    embedding_dim: int = assume(32, "Embedding dimension d", count, cited(GRBOVIC + ", Section 4.1", "grbovic2018"))
    window: int = assume(5, "Context window m (clicks each side)", count,
                         cited(GRBOVIC + ", Section 4.1", "grbovic2018"))
    epochs: int = assume(10, "Passes over the training data", count, cited(GRBOVIC + ", Section 4.1", "grbovic2018"))
    global_negatives: int = assume(5, "Random negatives per positive pair", count, design("gensim's default"))
    market_negatives: int = assume(5, "In-market negatives per positive pair", count, design())
    cold_start_neighbours: int = assume(3, "Nearby listings averaged for a cold-start vector", count,
                                        cited(GRBOVIC + ", Section 3.1", "grbovic2018"))
    cold_start_radius_miles: float = assume(10, "Radius searched for them (miles)", plain,
                                            cited(GRBOVIC + ", Section 3.1", "grbovic2018"))
    new_listings_per_day: float = assume(20_000, "New listings per day", short, thumb())

    # Serving
    views_per_visitor_per_day: float = assume(4, "Listing pages a visitor opens per day", plain, thumb())
    largest_market_listings: float = assume(100_000, "Listings in the largest market", short,
                                            cited("Airbnb EBR paper (2026), abstract", "airbnb2026"))
    available_share: float = assume(0.30, "Share of a market available for the dates asked", percent, thumb())
    knn_candidates: int = assume(200, "Nearest neighbours kept by cosine similarity", count, design())
    filter_pass_share: float = assume(0.5, "Share that passes price band and capacity filters", percent, thumb())
    carousel_size: int = assume(12, "Listings in the carousel", count, design())
    memory_bandwidth_gbps: float = assume(10, "Memory bandwidth one core streams (GB/s)", plain,
                                          thumb("a server core; measure it"))
    ranker_predictions_per_second_per_core: float = assume(
        50_000, "Ranker predictions per second per core (boosted trees)", short, thumb("load-test it"))
    sgns_gflops_per_core: float = assume(1, "Training throughput per core (GFLOP/s)", plain,
                                         thumb("word2vec-style scalar updates are memory-bound"))
    bytes_per_float: int = assume(4, "Bytes per float32", count, design())
    id_bytes: int = assume(8, "Bytes per listing id", count, design())

    # A/B test
    ab_baseline_rate: float = assume(0.03, "A/B baseline: visitors who book from the carousel in the measured week",
                                     percent, thumb())
    ab_relative_mde: float = assume(0.03, "A/B minimum detectable effect (relative)", percent, thumb())
    ab_traffic_fraction: float = assume(0.10, "A/B share of visitors in the test (both arms)", percent, thumb())
    ab_measured_days: int = assume(7, "A/B days measured after enrolment", count, design("one weekly cycle"))


ASSUMPTIONS = Assumptions()
A = ASSUMPTIONS

#: The request path: (id, label, share of the target). The shares are our rule of thumb.
LATENCY_SHARES: tuple[tuple[str, str, float], ...] = (
    ("network", "Network and gateway", 0.20),
    ("anchor", "Anchor listing's vector and the dates' availability", 0.10),
    ("knn", "Exact cosine scan of the available listings in the market", 0.15),
    ("filters", "Price band, capacity and policy filters", 0.05),
    ("ranker", "Ranker on the survivors (similarity is a feature)", 0.25),
    ("hydrate", "Hydrate cards (photos, price, rating)", 0.10),
    ("headroom", "Headroom for the tail", 0.15),
)
LATENCY = latency.LatencyBudget(A.latency_target_ms, latency.stages_from_shares(A.latency_target_ms, LATENCY_SHARES))

AB = ABPlan(
    metric="share of visitors who book a listing they found in the carousel, in the measured week",
    baseline_rate=A.ab_baseline_rate,
    relative_mde=A.ab_relative_mde,
    daily_users=A.listing_views_per_day / A.views_per_visitor_per_day,
    traffic_fraction=A.ab_traffic_fraction,
    measured_days=A.ab_measured_days,
)

#: The 45-minute plan for this problem.
INTERVIEW_PLAN: tuple[Phase, ...] = (
    Phase("Clarify requirements", 5, "What 'similar' serves (bookings), dates set or not, market, personalisation"),
    Phase("Frame as an ML task", 4, "Item-to-item retrieval; objectives compared; sessions as sentences"),
    Phase("Back of the envelope", 5, "QPS, sessions and pairs a day, the embedding table, one market's scan"),
    Phase("Data and features", 6, "Session cutting, dwell filter, booked sessions, leakage"),
    Phase("Model", 10, "Skip-gram with negatives; booked listing as global context; market negatives; cold start"),
    Phase("Evaluation", 6, "Booked listing's rank offline; carousel CTR and bookings online; the A/B size"),
    Phase("Serving and monitoring", 6, "Market + dates filter, exact scan, ranker, latency split, daily retrain"),
    Phase("Wrap-up and trade-offs", 3, "What you gave up and what you would try next"),
)

# --- the worked examples -----------------------------------------------------------------------

#: One booked session for the central figure: the clicks in order, then the booked listing.
EXAMPLE_CLICKS: tuple[str, ...] = ("A", "B", "C", "D", "E")
EXAMPLE_BOOKED = "F"
#: The figure's window is smaller than the model's so the pairs fit on a page.
EXAMPLE_WINDOW = 2

#: Offline evaluation: for five booked sessions, the candidates ranked by cosine similarity to the
#: last click before the booking, and the listing that was booked.
EXAMPLE_RANKINGS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10"), "p1"),
    (("q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10"), "q3"),
    (("r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10"), "r2"),
    (("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10"), "s8"),
    (("t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10"), "t12"),
)
METRIC_KS: tuple[int, ...] = (1, 3, 10)


# --------------------------------------------------------------------------------------------
# Traffic
# --------------------------------------------------------------------------------------------


@value(short)
def avg_qps() -> float:
    """Average carousel requests per second (one per listing-page view)."""
    return A.listing_views_per_day / HOUSE.seconds_per_day


@value(short)
def peak_qps() -> float:
    return est.peak_qps(avg_qps(), HOUSE.peak_to_average)


@value(short)
def daily_visitors() -> float:
    return A.listing_views_per_day / A.views_per_visitor_per_day


# --------------------------------------------------------------------------------------------
# Sessions and training pairs
# --------------------------------------------------------------------------------------------


def window_pairs(length: int, window: int) -> int:
    """Skip-gram (centre, context) pairs in one session of ``length`` clicks with ``window`` each side."""
    if length < 0 or window < 0:
        raise ValueError("length and window must be non-negative")
    return sum(min(i, window) + min(length - 1 - i, window) for i in range(length))


def session_pairs(clicks: tuple[str, ...], booked: str | None, window: int) -> list[tuple[str, str, str]]:
    """Every training pair of one session: (centre, context, kind) with kind 'window' or 'booked'.

    The booked listing ends the click sequence (it was clicked last) and is also the global context
    of every click before it, whether or not it falls inside that click's window (the extra term of
    the booked-session objective).
    """
    sequence = list(clicks) + ([booked] if booked is not None else [])
    pairs: list[tuple[str, str, str]] = []
    for i, centre in enumerate(sequence):
        for j in range(max(0, i - window), min(len(sequence), i + window + 1)):
            if j != i:
                pairs.append((centre, sequence[j], "window"))
        if booked is not None and i < len(sequence) - 1:
            pairs.append((centre, booked, "booked"))
    return pairs


@value(count)
def example_window_pairs() -> int:
    return sum(1 for *_, kind in session_pairs(EXAMPLE_CLICKS, EXAMPLE_BOOKED, EXAMPLE_WINDOW) if kind == "window")


@value(count)
def example_booked_pairs() -> int:
    return sum(1 for *_, kind in session_pairs(EXAMPLE_CLICKS, EXAMPLE_BOOKED, EXAMPLE_WINDOW) if kind == "booked")


@value(short)
def kept_views_per_day() -> float:
    return A.listing_views_per_day * A.kept_view_share


@value(short)
def sessions_per_day() -> float:
    return kept_views_per_day() / A.clicks_per_session


@value(short)
def booked_sessions_per_day() -> float:
    return sessions_per_day() * A.booked_session_share


@value(count)
def pairs_per_session() -> int:
    """Window pairs in a session of the mean length with the model's window."""
    return window_pairs(round(A.clicks_per_session), A.window)


@value(short)
def positive_pairs_per_day() -> float:
    """Window pairs plus the booked listing as one more context of every click of a booked session."""
    return sessions_per_day() * pairs_per_session() + booked_sessions_per_day() * A.clicks_per_session


@value(short)
def dot_products_per_day() -> float:
    """Each positive pair is scored with its negatives: 1 + global + in-market dot products."""
    return positive_pairs_per_day() * (1 + A.global_negatives + A.market_negatives)


@value(short)
def training_sessions() -> float:
    """Sessions in the training window, booked sessions counted as many times as they are oversampled."""
    per_day = sessions_per_day() + booked_sessions_per_day() * (A.booked_oversampling - 1)
    return per_day * A.training_days


@value(short)
def training_dot_products() -> float:
    """Dot products of one full training run: every day's pairs, oversampled, over all passes."""
    per_day_factor = training_sessions() / A.training_days / sessions_per_day()
    return dot_products_per_day() * per_day_factor * A.training_days * A.epochs


@value(lambda v: fixed(v, 1) + " core-hours")
def training_core_hours() -> float:
    """CPU core-hours: 2 FLOPs per multiply-add, twice (score, then update), at the assumed rate per core."""
    flops = training_dot_products() * A.embedding_dim * 2 * 2
    return flops / (A.sgns_gflops_per_core * 1e9) / 3_600


# --------------------------------------------------------------------------------------------
# The embedding table and the in-market scan
# --------------------------------------------------------------------------------------------


@value(nbytes)
def embedding_table_bytes() -> float:
    """Input vectors of every listing (what serving needs), float32, with ids."""
    return est.ivfpq_index_bytes(int(A.active_listings), A.embedding_dim * A.bytes_per_float, A.id_bytes)


@value(nbytes)
def training_table_bytes() -> float:
    """Training keeps an input and an output vector per listing."""
    return 2 * est.embedding_bytes(int(A.active_listings), A.embedding_dim, A.bytes_per_float)


@value(nbytes)
def embedding_table_bytes_at(dim: int) -> float:
    return est.ivfpq_index_bytes(int(A.active_listings), dim * A.bytes_per_float, A.id_bytes)


@value(short)
def available_in_market() -> float:
    return A.largest_market_listings * A.available_share


@value(nbytes)
def scan_bytes() -> float:
    """Bytes streamed to score every available listing of the largest market."""
    return available_in_market() * A.embedding_dim * A.bytes_per_float


@value(lambda v: ms(v, digits=2))
def scan_ms() -> float:
    """Time to stream them at one core's memory bandwidth (the scan is memory-bound)."""
    return scan_bytes() / (A.memory_bandwidth_gbps * 1e9) * 1_000


@value(lambda v: ms(v, digits=2))
def scan_ms_whole_market() -> float:
    """The same scan without the availability filter (dateless pages)."""
    return A.largest_market_listings * A.embedding_dim * A.bytes_per_float / (A.memory_bandwidth_gbps * 1e9) * 1_000


@value(short)
def scan_multiply_adds() -> float:
    return available_in_market() * A.embedding_dim


# --------------------------------------------------------------------------------------------
# The funnel and the ranker
# --------------------------------------------------------------------------------------------


@value(count)
def after_filters() -> int:
    return round(A.knn_candidates * A.filter_pass_share)


@value(short)
def ranker_predictions_per_second() -> float:
    return est.predictions_per_second(peak_qps(), after_filters())


@value(count)
def ranker_cores() -> int:
    return est.accelerators_needed(ranker_predictions_per_second(), A.ranker_predictions_per_second_per_core)


@value(ms)
def stage_budget(stage_id: str) -> float:
    return LATENCY.stage(stage_id).budget_ms


@value(short)
def cold_start_per_day() -> float:
    return A.new_listings_per_day


# --------------------------------------------------------------------------------------------
# The worked metric example
# --------------------------------------------------------------------------------------------


def _queries() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return [(ranked, (booked,)) for ranked, booked in EXAMPLE_RANKINGS]


@value(lambda v: fixed(v, 3))
def example_mrr() -> float:
    return mean_reciprocal_rank(_queries())


@value(lambda v: fixed(v, 2))
def example_hit_rate(k: int) -> float:
    return hit_rate_at_k(_queries(), k)


def example_rank(ranked: tuple[str, ...], booked: str) -> int | None:
    return ranked.index(booked) + 1 if booked in ranked else None


# --------------------------------------------------------------------------------------------
# A/B test
# --------------------------------------------------------------------------------------------


@value(count)
def ab_sample_per_arm() -> int:
    return AB.sample_per_arm()


@value(count)
def ab_planned_days() -> int:
    return AB.planned_days()


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


@table
def capacity_table() -> str:
    """Traffic, average and peak, and the ranker's load."""
    rows = [
        ("Carousel requests per second", f"{short(A.listing_views_per_day)} views ÷ {count(HOUSE.seconds_per_day)} s;"
         f" peak × {HOUSE.peak_to_average:g}", short(avg_qps()), short(peak_qps())),
        ("Ranker predictions per second", f"requests × {after_filters()} survivors", "—",
         short(ranker_predictions_per_second())),
        ("Ranker cores", f"÷ {short(A.ranker_predictions_per_second_per_core)} per core", "—",
         count(ranker_cores())),
    ]
    return md_table(["Quantity", "Formula", "Average", "Peak"], rows, align="llrr")


@table
def training_data_table() -> str:
    """From page views to skip-gram pairs, per day and per training run."""
    rows = [
        ("Views kept after the dwell filter", f"{short(A.listing_views_per_day)} × {percent(A.kept_view_share)}",
         short(kept_views_per_day())),
        ("Sessions per day", f"÷ {plain(A.clicks_per_session)} clicks per session", short(sessions_per_day())),
        ("Booked sessions per day", f"× {percent(A.booked_session_share)}", short(booked_sessions_per_day())),
        ("Window pairs per session", f"{round(A.clicks_per_session)} clicks, m = {A.window}",
         count(pairs_per_session())),
        ("Positive pairs per day", "sessions × pairs + booked sessions × clicks", short(positive_pairs_per_day())),
        ("Dot products per day", f"pairs × (1 + {A.global_negatives} + {A.market_negatives} negatives)",
         short(dot_products_per_day())),
        ("Sessions in one training run", f"{A.training_days} days, booked × {plain(A.booked_oversampling)}",
         short(training_sessions())),
        ("Dot products in one run", f"× {A.epochs} passes", short(training_dot_products())),
        ("CPU time of one run", f"× {A.embedding_dim} dims × 4 FLOPs ÷ {plain(A.sgns_gflops_per_core)} GFLOP/s", fixed(training_core_hours(), 1)
         + " core-hours"),
    ]
    return md_table(["Quantity", "Formula", "Value"], rows, align="llr")


@table
def memory_table() -> str:
    """The embedding table at several dimensions, and the cost of scanning one market exactly."""
    rows = [(f"d = {dim}" + (" (ours)" if dim == A.embedding_dim else ""),
             f"{short(A.active_listings)} × ({dim} × {A.bytes_per_float} + {A.id_bytes}) B",
             nbytes(embedding_table_bytes_at(dim))) for dim in (16, 32, 64, 128)]
    rows.append(("Training (input + output vectors)", f"2 × {short(A.active_listings)} × {A.embedding_dim} × 4 B",
                 nbytes(training_table_bytes())))
    rows.append(("One exact scan of the largest market", f"{short(available_in_market())} available × "
                 f"{A.embedding_dim} × 4 B", nbytes(scan_bytes())))
    return md_table(["What", "Formula", "Bytes"], rows, align="llr")


@table
def funnel_table() -> str:
    """Listings at each stage of one request in the largest market."""
    rows = [
        ("Listings in the market", short(A.largest_market_listings)),
        (f"Available for the dates ({percent(A.available_share)})", short(available_in_market())),
        ("Nearest by cosine similarity", count(A.knn_candidates)),
        (f"Pass price band and capacity ({percent(A.filter_pass_share)})", count(after_filters())),
        ("Shown after the ranker", count(A.carousel_size)),
    ]
    return md_table(["Stage", "Listings per request"], rows, align="lr")


@table
def pairs_table() -> str:
    """The training pairs of the example session, grouped by centre listing."""
    pairs = session_pairs(EXAMPLE_CLICKS, EXAMPLE_BOOKED, EXAMPLE_WINDOW)
    rows = []
    for centre in list(EXAMPLE_CLICKS) + [EXAMPLE_BOOKED]:
        window = [c for l, c, kind in pairs if l == centre and kind == "window"]
        booked = [c for l, c, kind in pairs if l == centre and kind == "booked"]
        rows.append((centre, ", ".join(window), ", ".join(booked) or "—"))
    return md_table(["Centre", f"Window contexts (m = {EXAMPLE_WINDOW})", "Booked listing as global context"],
                    rows, align="lll")


@table
def metric_example_table() -> str:
    """The booked listing's rank among the candidates in five sessions."""
    rows = []
    for number, (ranked, booked) in enumerate(EXAMPLE_RANKINGS, start=1):
        rank = example_rank(ranked, booked)
        rows.append((str(number), booked, str(rank) if rank else f"not in top {len(ranked)}",
                     fixed(1 / rank, 3) if rank else "0"))
    return md_table(["Session", "Booked listing", "Its rank", "Reciprocal rank"], rows, align="rlrr")


@table
def latency_budget_table() -> str:
    return latency.latency_budget_table(LATENCY)


@table
def ab_test_table() -> str:
    return ab_plan_table(AB)


@table
def interview_timeline_table() -> str:
    return plan.interview_plan_table(INTERVIEW_PLAN)


# --------------------------------------------------------------------------------------------
# Practice material (snippets/kit/practice.py): the cheat sheet, the rubric and the drills
# --------------------------------------------------------------------------------------------

GLANCE = Glance(
    surface="A carousel of look-alike homes on every listing page of a rental marketplace",
    users=Fact("Daily visitors to listing pages", daily_visitors),
    traffic=Fact("Carousel requests per second at peak", peak_qps),
    latency=Fact("Carousel, end to end", A.latency_target_ms, fmt=ms),
    funnel=(
        Fact("Listings in the largest market", A.largest_market_listings, fmt=short),
        Fact("Available for the guest's dates", available_in_market),
        Fact("Nearest by exact cosine scan", A.knn_candidates, fmt=count),
        Fact("Pass price band, capacity and policy filters", after_filters),
        Fact("Shown in the carousel after the ranker", A.carousel_size, fmt=count),
    ),
    model="Skip-gram with negative sampling on browsing sessions (booked listing as global context, "
          "in-market negatives) gives one vector per listing; an exact cosine scan inside the market and "
          "the dates; a boosted-tree ranker on the survivors",
    offline_metric="Rank of the eventually booked listing among same-market candidates, scored from the click "
                   "before the booking: MRR and hit rate@k, on sessions after the training cut-off",
    online_metric="Bookings that start from a carousel click, per visitor; carousel CTR beside it; total "
                  "bookings per visitor and host rejections as guardrails",
    memory=Fact("Listing vectors with ids, replicated on every serving host", embedding_table_bytes),
    trade_offs=(
        "Learning similarity from sessions captures what guests weigh, style included, but a listing with no "
        "sessions has no vector: it lives on the average of a few nearby look-alikes until the next daily retrain.",
        "One market's available listings are a few megabytes of vectors, so an exact scan beats an approximate "
        "index: no recall loss and no rebuild when availability changes, until markets grow by orders of magnitude.",
        "Carousel clicks are easy to raise without creating a single booking, because bookings can simply move "
        "from search into the carousel; the launch decision rests on bookings, with total bookings as a guardrail.",
    ),
)

RUBRIC: tuple[Grade, ...] = (
    Grade("Clarify requirements",
          strong="Asks what \"similar\" is for and settles on bookings, then pins down dates (set or not), the "
                 "market restriction, personalisation, new listings, and the scale and the latency target as numbers.",
          adequate="Gets the scale, latency and the same-city rule, but treats similarity as look-alike attributes "
                   "without asking what the carousel should cause.",
          weak="Starts on a model before asking whether guests have dates or what success means."),
    Grade("Frame as an ML task",
          strong="Frames item-to-item retrieval with no user tower, compares attribute rules, next-click "
                 "co-occurrence, co-occurrence plus the booking, and a supervised ranker, and says why sessions "
                 "become sentences and listings words.",
          adequate="Proposes listing embeddings from co-views but does not say how the booking enters the "
                   "objective or why a supervised ranker cannot come first.",
          weak="Frames it as classification of pairs, or as content similarity of photos, with no link to bookings."),
    Grade("Back of the envelope",
          strong="Derives the modest peak request rate, sessions and skip-gram pairs a day, the training run in "
                 "core-hours, the sub-gigabyte vector table, and the sub-millisecond scan of the largest market, "
                 "and concludes that neither sharding nor an ANN index is needed.",
          adequate="Gets traffic and the table size but does not size one market's scan, so the index choice "
                   "stays a reflex.",
          weak="Assumes web-scale traffic and a global ANN index without computing either."),
    Grade("Data and features",
          strong="Cuts sessions at an inactivity gap, drops short dwells and one-click sessions, separates booked "
                 "from exploratory sessions and oversamples the booked ones, and names time-split leakage, the "
                 "carousel's own feedback loop and availability bias.",
          adequate="Builds sessions from clicks and lists ranker features, but misses the dwell filter, the "
                   "gap's reason or the leakage of the booked listing into evaluation.",
          weak="Treats every click in a user's history as one sequence, or trains on carousel clicks alone."),
    Grade("Model",
          strong="Writes skip-gram with negative sampling, adds the booked listing as a global context of every "
                 "click and in-market negatives, justifies window and dimension, gives the cold-start mean of "
                 "nearby same-type, same-price listings, and retrains daily from scratch.",
          adequate="Uses word2vec on sessions with random negatives and a cold-start fallback, without the "
                   "marketplace adaptations or why they matter.",
          weak="A neural network over listing attributes with no training signal named, or no answer for new "
               "listings."),
    Grade("Evaluation",
          strong="Ranks the booked listing from the click before it, scores MRR and hit rate@k with unretrieved "
                 "bookings as misses, splits by time, and sizes the A/B test from a baseline booking rate and "
                 "a minimum effect, with guardrails against cannibalisation.",
          adequate="Names offline ranking metrics and an A/B test on bookings, without the split rule or a size.",
          weak="Measures click-through rate online and nothing offline."),
    Grade("Serving and monitoring",
          strong="Filters by market and dates before an exact in-memory scan, filters softly after it, ranks "
                 "the filtered survivors, splits the latency target by stage, swaps the daily table atomically, and "
                 "watches concentration, cold-start CTR and fallback rates.",
          adequate="Draws a retrieve-then-rank path with a cache, but no latency split or no rule for mixing "
                   "two days' vectors.",
          weak="Precomputes one carousel per listing nightly and ignores the guest's dates."),
    Grade("Wrap-up and trade-offs",
          strong="Names what it gave up (content understanding, cross-market carousels, personalisation) and "
                 "when the other choice wins, and proposes the next experiment, such as guest features in the ranker.",
          adequate="Summarises the design without saying what it sacrificed.",
          weak="Runs out of time before any summary."),
)


def _peak_steps(a: Assumptions) -> list[Step]:
    average = a.listing_views_per_day / HOUSE.seconds_per_day
    return [
        Step("Average carousel requests per second",
             f"{short(a.listing_views_per_day)} listing-page views ÷ {count(HOUSE.seconds_per_day)} s", average, short),
        Step("At peak", f"average × {times(HOUSE.peak_to_average)}", est.peak_qps(average, HOUSE.peak_to_average),
             short),
    ]


def _ranker_steps(a: Assumptions) -> list[Step]:
    steps = _peak_steps(a)
    survivors = round(a.knn_candidates * a.filter_pass_share)
    rate = est.predictions_per_second(steps[-1].value, survivors)
    return steps + [
        Step("Survivors of the filters", f"{count(a.knn_candidates)} neighbours × {percent(a.filter_pass_share)}",
             survivors, count),
        Step("Ranker predictions per second", "peak × survivors", rate, short),
        Step("Ranker cores", f"rate ÷ {short(a.ranker_predictions_per_second_per_core)} per core, rounded up",
             est.accelerators_needed(rate, a.ranker_predictions_per_second_per_core), count),
    ]


def _table_steps(a: Assumptions) -> list[Step]:
    width = a.embedding_dim * a.bytes_per_float
    return [
        Step("Bytes per vector", f"{count(a.embedding_dim)} dims × {count(a.bytes_per_float)} B", width, nbytes),
        Step("Serving table with ids", f"{short(a.active_listings)} listings × ({nbytes(width)} + "
             f"{nbytes(a.id_bytes)} id)", est.ivfpq_index_bytes(int(a.active_listings), width, a.id_bytes), nbytes),
    ]


def _training_table_steps(a: Assumptions) -> list[Step]:
    single = est.embedding_bytes(int(a.active_listings), a.embedding_dim, a.bytes_per_float)
    return [
        Step("Input vectors", f"{short(a.active_listings)} listings × {count(a.embedding_dim)} dims × "
             f"{count(a.bytes_per_float)} B", single, nbytes),
        Step("Input and output vectors", "× 2 (training keeps both)", 2 * single, nbytes),
    ]


def _scan_steps(a: Assumptions) -> list[Step]:
    available = a.largest_market_listings * a.available_share
    scanned = available * a.embedding_dim * a.bytes_per_float
    return [
        Step("Available listings in the largest market",
             f"{short(a.largest_market_listings)} × {percent(a.available_share)} free for the dates", available, short),
        Step("Bytes streamed", f"available × {count(a.embedding_dim)} dims × {count(a.bytes_per_float)} B",
             scanned, nbytes),
        Step("Scan time", f"bytes ÷ {plain(a.memory_bandwidth_gbps)} GB/s of one core's memory bandwidth",
             scanned / (a.memory_bandwidth_gbps * 1e9) * 1_000, lambda v: ms(v, digits=2)),
    ]


def _session_steps(a: Assumptions) -> list[Step]:
    kept = a.listing_views_per_day * a.kept_view_share
    sessions = kept / a.clicks_per_session
    return [
        Step("Views kept after the dwell filter", f"{short(a.listing_views_per_day)} × {percent(a.kept_view_share)}",
             kept, short),
        Step("Sessions per day", f"÷ {plain(a.clicks_per_session)} clicks per session", sessions, short),
        Step("Booked sessions per day", f"× {percent(a.booked_session_share)}", sessions * a.booked_session_share,
             short),
    ]


def _pair_steps(a: Assumptions) -> list[Step]:
    steps = _session_steps(a)
    sessions, booked = steps[1].value, steps[2].value
    per_session = window_pairs(round(a.clicks_per_session), a.window)
    positives = sessions * per_session + booked * a.clicks_per_session
    return steps + [
        Step("Window pairs per session", f"{round(a.clicks_per_session)} clicks, m = {a.window} each side",
             per_session, count),
        Step("Positive pairs per day", f"sessions × pairs + booked sessions × {plain(a.clicks_per_session)} clicks "
             "(the booked listing as global context)", positives, short),
    ]


def _dot_product_steps(a: Assumptions) -> list[Step]:
    steps = _pair_steps(a)
    negatives = 1 + a.global_negatives + a.market_negatives
    return steps + [Step("Dot products per day", f"positive pairs × (1 + {a.global_negatives} random + "
                         f"{a.market_negatives} in-market negatives)", steps[-1].value * negatives, short)]


def _training_session_steps(a: Assumptions) -> list[Step]:
    steps = _session_steps(a)
    sessions, booked = steps[1].value, steps[2].value
    per_day = sessions + booked * (a.booked_oversampling - 1)
    return steps + [
        Step("Sessions a day once booked ones are oversampled",
             f"sessions + booked × ({plain(a.booked_oversampling)} − 1) extra copies", per_day, short),
        Step("Sessions in one training run", f"× {count(a.training_days)} days", per_day * a.training_days, short),
    ]


def _core_hour_steps(a: Assumptions) -> list[Step]:
    dots = _dot_product_steps(a)
    run_sessions = _training_session_steps(a)
    factor = run_sessions[-1].value / a.training_days / run_sessions[1].value
    run = dots[-1].value * factor * a.training_days * a.epochs
    flops = run * a.embedding_dim * 2 * 2
    return dots + [
        Step("Dot products in one run", f"per day × {plain(round(factor, 3))} (oversampling) × "
             f"{count(a.training_days)} days × {count(a.epochs)} passes", run, short),
        Step("CPU time of one run", f"× {count(a.embedding_dim)} dims × 4 FLOPs (score, then update) ÷ "
             f"{plain(a.sgns_gflops_per_core)} GFLOP/s per core ÷ 3,600 s", flops / (a.sgns_gflops_per_core * 1e9) / 3_600,
             lambda v: fixed(v, 1) + " core-hours"),
    ]


def _ab_plan(a: Assumptions) -> ABPlan:
    return ABPlan(metric=AB.metric, baseline_rate=a.ab_baseline_rate, relative_mde=a.ab_relative_mde,
                  daily_users=a.listing_views_per_day / a.views_per_visitor_per_day,
                  traffic_fraction=a.ab_traffic_fraction, measured_days=a.ab_measured_days)


def _ab_sample_steps(a: Assumptions) -> list[Step]:
    return ab_sample_steps(_ab_plan(a), "Visitors per arm")


def _ab_days_steps(a: Assumptions) -> list[Step]:
    return ab_days_steps(_ab_plan(a), "Visitors per arm", entering=(
        "Visitors entering the test per day", f"{short(a.listing_views_per_day)} views ÷ "
        f"{plain(a.views_per_visitor_per_day)} per visitor × {percent(a.ab_traffic_fraction)}"))


def _knn_budget_steps(a: Assumptions) -> list[Step]:
    return stage_budget_steps(a.latency_target_ms, LATENCY_SHARES, "knn", "Neighbour search's budget")


DRILLS: tuple[Drill, ...] = (
    Drill("Twice the views", "The marketplace doubles its listing-page views. How many carousel requests per "
          "second must the service handle at peak?", {"listing_views_per_day": 40_000_000}, _peak_steps, peak_qps),
    Drill("A deeper neighbour list", "The ranker team asks for more neighbours from the scan. How many cores does "
          "the ranker need at peak?", {"knn_candidates": 500}, _ranker_steps, ranker_cores),
    Drill("A neural ranker", "A neural ranker replaces the boosted trees and scores far fewer candidates per "
          "second per core. How many cores at peak?", {"ranker_predictions_per_second_per_core": 2_000},
          _ranker_steps, ranker_cores),
    Drill("Wider vectors", "Offline rank keeps improving with the dimension. How large is the serving table at "
          "the new dimension, and does it still fit every host?", {"embedding_dim": 128}, _table_steps,
          embedding_table_bytes),
    Drill("A bigger catalogue", "The marketplace expands into new regions and its catalogue nearly triples. How "
          "much memory does training need for the vectors?", {"active_listings": 20_000_000},
          _training_table_steps, training_table_bytes),
    Drill("A megacity market", "One market grows to ten times the largest today. How long does the exact scan "
          "of its available listings take, and does it fit the neighbour-search budget?",
          {"largest_market_listings": 1_000_000}, _scan_steps, scan_ms),
    Drill("Low season on a busy host", "In low season most of the market is free, and the host shares its memory "
          "bandwidth with other work. How long does the scan take?",
          {"available_share": 0.7, "memory_bandwidth_gbps": 3}, _scan_steps, scan_ms),
    Drill("Longer sessions", "Guests compare more homes before they book. How many positive training pairs a day?",
          {"clicks_per_session": 10}, _pair_steps, positive_pairs_per_day),
    Drill("A narrower window", "The model uses a much smaller context window. How many dot products does a "
          "day of sessions cost?", {"window": 2}, _dot_product_steps, dot_products_per_day),
    Drill("More negatives", "Twice as many random and in-market negatives per pair. How many core-hours does "
          "one training run take?", {"global_negatives": 10, "market_negatives": 10}, _core_hour_steps,
          training_core_hours),
    Drill("A half-year window", "Training keeps six months of sessions and oversamples booked ones less. How "
          "many sessions does one run see?", {"training_days": 180, "booked_oversampling": 3},
          _training_session_steps, training_sessions),
    Drill("A smaller lift", "The new ranker is expected to move bookings by only a third of the planned "
          "effect. How many visitors per arm?", {"ab_relative_mde": 0.01}, _ab_sample_steps, ab_sample_per_arm),
    Drill("A rarer outcome", "Far fewer visitors book from the carousel in the measured week than we assumed. How "
          "many visitors per arm?", {"ab_baseline_rate": 0.01}, _ab_sample_steps, ab_sample_per_arm),
    Drill("Less test traffic", "Other teams need the traffic, so the test gets a much smaller share of visitors. "
          "How many days must it run?", {"ab_traffic_fraction": 0.02}, _ab_days_steps, ab_planned_days),
    Drill("A tighter page", "The page team cuts the carousel's end-to-end budget. How long may the neighbour "
          "search take now?", {"latency_target_ms": 60}, _knn_budget_steps, stage_budget, "knn"),
)
