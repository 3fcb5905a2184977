"""Ad click prediction (feed ads, pay per click): the chapter's assumptions and every number it shows.

``docs/ad-click-prediction.md`` designs the click-through-rate (CTR) model behind a feed's ad
auction: every ad slot runs an auction that ranks eligible ads by bid times predicted CTR, so the
prediction must be calibrated, not only well ordered. From the problem statement (users, slots,
candidates per auction, the scoring budget) and the assumptions below, this module computes the
auction and prediction rates, the serving fleet for each model family, feature look-ups, the
embedding tables' memory, the training-data volume with negative downsampling and its
recalibration, the click joiner's buffer, the latency budget and its fan-out, a worked auction that
shows what miscalibration costs, a worked example of the offline metrics, and the A/B test.
Shared formulas live in the chapter kit (``snippets.kit``).

Functions ending in ``_for`` take the inputs the lab varies as arguments; the others are the
chapter's own values, which the page, its figures and its lab show.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from snippets.kit import estimation as est
from snippets.kit import latency
from snippets.kit.abtest import ABPlan, ab_plan_table
from snippets.kit.assume import DEFINITION, PROBLEM, assume, cited, design, thumb
from snippets.kit.display import (
    count, days, fixed, md_table, minutes, ms, nbytes, pct, percent, percentile, plain, short, times,
)
from snippets.kit.house import HOUSE
from snippets.kit.latency import LatencyBudget, stages_from_shares
from snippets.kit.metrics import (
    binary_entropy, calibration_ratio, log_loss, normalized_entropy, reliability_curve, roc_auc,
)
from snippets.kit.plan import Phase, interview_plan_table
from snippets.kit.practice import Drill, Fact, Glance, Grade, Step, ab_days_steps, ab_sample_steps, peak_steps, stage_budget_steps
from snippets.kit.show import table, value


def usd(amount: float) -> str:
    """A money amount in US dollars with cents, as plain text (for figures)."""
    return f"${amount:,.2f}"


def dollars(amount: float) -> str:
    """A money amount for a page: the dollar sign escaped, so the math extension never pairs two."""
    return "\\" + usd(amount)


@dataclass(frozen=True)
class Assumptions:
    """Every input of the chapter's arithmetic. The problem statement fixes four; the rest are ours."""

    # The problem statement
    daily_active_users: float = assume(500e6, "Daily active users", short, PROBLEM)
    ad_slots_per_user_per_day: float = assume(40, "Ad slots per user per day (one auction each)", plain, PROBLEM)
    candidates_per_auction: int = assume(2_000, "Candidate ads scored per auction", count, PROBLEM)
    scoring_budget_ms: float = assume(50.0, "Latency budget for scoring one auction", ms, PROBLEM)

    # Traffic and labels
    click_through_rate: float = assume(
        0.01, "Average click-through rate of a shown ad", percent,
        thumb("feed ads click at around 1%; measure your own"))
    monthly_to_daily_users: float = assume(2.0, "Monthly-to-daily active users", times, thumb())
    active_ads: float = assume(10e6, "Ads eligible to serve on a given day", short, thumb())
    click_join_window_minutes: float = assume(
        15, "Window in which a click is joined to its impression", minutes,
        design("most feed-ad clicks come within seconds; the window bounds label delay"))
    joiner_bytes_per_impression: int = assume(
        1_000, "Joiner buffer per impression (ids, features snapshot key, request context)", nbytes, thumb())

    # Training data
    negative_keep_rate: float = assume(
        0.05, "Share of unclicked impressions kept for training (w)", percent,
        design("about 5 negatives per click at a 1% CTR"))
    bytes_per_training_row: int = assume(
        500, "Bytes per training row (sparse ids and dense features, compressed)", nbytes, thumb())
    training_days: int = assume(30, "Days of logs a full retrain reads", days, design())

    # Embedding tables
    embedding_dim: int = assume(
        32, "Embedding dimension of every sparse field", count,
        thumb("16-64 is typical for CTR models' sparse fields"))
    user_id_buckets: float = assume(
        1e9, "Hash buckets for user ids", short, design("about one per monthly user"))
    ad_id_buckets: float = assume(20e6, "Hash buckets for ad ids", short, design("twice the active ads"))
    advertiser_buckets: float = assume(5e6, "Hash buckets for advertiser ids", short, thumb())
    other_field_count: int = assume(
        40, "Other sparse fields (categories, interests, placements, crosses)", count, thumb())
    other_field_buckets: float = assume(
        2**22, "Hash buckets per other sparse field", short, design("2^22, about 4.2 million"))
    optimizer_state_factor: float = assume(
        2.0, "Training memory per embedding value, in values (weight + Adagrad accumulator)", times, DEFINITION)
    host_memory_bytes: float = assume(256e9, "Memory per parameter-server host", nbytes, thumb())

    # Serving
    feature_fields_per_request: int = assume(
        60, "User and context features fetched per auction", count, thumb())
    ranking_batch_size: int = assume(
        250, "Candidates per scoring call", count, design("eight parallel calls per auction"))
    lr_predictions_per_core: float = assume(
        1_000_000, "Hashed LR predictions per second per CPU core", short, thumb("load-test it"))
    gbdt_lr_predictions_per_core: float = assume(
        100_000, "Trees + LR predictions per second per CPU core", short, thumb("load-test it"))
    dcn_predictions_per_core: float = assume(
        10_000, "DCN predictions per second per CPU core", short, thumb("load-test it"))
    dcn_predictions_per_gpu: float = assume(
        2_000_000, "DCN predictions per second per GPU (batched)", short, thumb("load-test it"))
    serving_utilisation: float = assume(
        0.6, "Target utilisation of serving hardware at peak", percent, thumb("room for a failover"))

    # A/B test
    ab_baseline_rate: float = assume(
        0.25, "A/B baseline: users who click at least one ad in the measured week", percent, thumb())
    ab_relative_mde: float = assume(
        0.005, "A/B minimum detectable effect (relative)", percent,
        thumb("CTR model launches move tenths of a percent"))
    ab_traffic_fraction: float = assume(0.02, "A/B share of users in the experiment (both arms)", percent, thumb())
    ab_metric_window_days: int = assume(7, "A/B window the metric is measured over", days, design())

    # Continual training
    incremental_update_minutes: float = assume(
        60, "Incremental update cadence", minutes, design("hourly; each update trains on the last hour"))
    calibration_alert_band: float = assume(
        0.05, "Calibration ratio alert band around 1", percent, design("page at 0.95 or 1.05"))


ASSUMPTIONS = Assumptions()
A = ASSUMPTIONS


# --------------------------------------------------------------------------------------------
# Structures: the model families, the embedding tables, the request path
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Family:
    """A model family in the progression, with the hardware it scores on and its per-unit rate."""

    id: str
    name: str
    adds: str
    unit: str
    rate_per_unit: float


MODEL_FAMILIES: tuple[Family, ...] = (
    Family("lr", "Hashed LR with crosses", "memorises hand-made crosses, trains online", "CPU cores",
           A.lr_predictions_per_core),
    Family("gbdt_lr", "Boosted trees + LR", "learns crosses of dense features as leaves", "CPU cores",
           A.gbdt_lr_predictions_per_core),
    Family("dcn_cpu", "DCN on CPU", "learns sparse crosses and embeddings end to end", "CPU cores",
           A.dcn_predictions_per_core),
    Family("dcn_gpu", "DCN on GPU", "the same model, batched on accelerators", "GPUs",
           A.dcn_predictions_per_gpu),
)


@dataclass(frozen=True)
class Table:
    """One embedding table: an id for code, a name for readers, its rows."""

    id: str
    name: str
    rows: float


EMBEDDING_TABLES: tuple[Table, ...] = (
    Table("user", "User id", A.user_id_buckets),
    Table("ad", "Ad id", A.ad_id_buckets),
    Table("advertiser", "Advertiser id", A.advertiser_buckets),
    Table("other", f"{A.other_field_count} other sparse fields", A.other_field_count * A.other_field_buckets),
)

#: The scoring path of one auction: (id, label, share of the scoring budget). Shares: our rule of thumb.
LATENCY_SHARES: tuple[tuple[str, str, float], ...] = (
    ("network", "Network and request fan-out", 0.10),
    ("user_features", "User and context features (one look-up)", 0.16),
    ("ad_features", "Ad features from the local cache", 0.10),
    ("inference", "Model inference (calls in parallel)", 0.50),
    ("calibrate", "Calibration layer and bid × pCTR", 0.04),
    ("headroom", "Headroom for the tail and retries", 0.10),
)

#: The 45-minute plan for this problem.
INTERVIEW_PLAN: tuple[Phase, ...] = (
    Phase("Clarify requirements", 5, "Pricing (CPC), auction rule, scale, latency, what counts as a click"),
    Phase("Frame as an ML task", 4, "pCTR as calibrated binary classification; bid × pCTR; objectives table"),
    Phase("Back of the envelope", 5, "Auctions/s, predictions/s, fleet per model family, embedding memory"),
    Phase("Data and features", 7, "Impression + click join, downsampling and recalibration, delays, position"),
    Phase("Model", 9, "LR → trees + LR → FM/FFM → DCN; embeddings; calibration layer"),
    Phase("Evaluation", 6, "NE, calibration ratio, reliability diagram, AUC; A/B with budget split"),
    Phase("Serving and monitoring", 6, "Latency split, fan-out, fallbacks, hourly updates and their gates"),
    Phase("Wrap-up and trade-offs", 3, "What you gave up, what you would do next"),
)

AB = ABPlan(
    metric=f"share of users who click at least one ad in the test's last {days(A.ab_metric_window_days)}",
    baseline_rate=A.ab_baseline_rate,
    relative_mde=A.ab_relative_mde,
    daily_users=A.daily_active_users,
    traffic_fraction=A.ab_traffic_fraction,
    measured_days=A.ab_metric_window_days,
)


# --------------------------------------------------------------------------------------------
# Traffic: auctions, predictions, look-ups
# --------------------------------------------------------------------------------------------


@value(short)
def auctions_per_day() -> float:
    """One auction per ad slot shown: users x slots per user."""
    return A.daily_active_users * A.ad_slots_per_user_per_day


@value(short)
def avg_auctions_per_second() -> float:
    return est.average_qps(A.daily_active_users, A.ad_slots_per_user_per_day)


def peak_auctions_per_second_for(daily_active_users: float, slots_per_user: float = A.ad_slots_per_user_per_day,
                                 peak_to_average: float = HOUSE.peak_to_average) -> float:
    return est.peak_qps(est.average_qps(daily_active_users, slots_per_user), peak_to_average)


@value(short)
def peak_auctions_per_second() -> float:
    return peak_auctions_per_second_for(A.daily_active_users)


def avg_predictions_per_second() -> float:
    return est.predictions_per_second(avg_auctions_per_second(), A.candidates_per_auction)


def peak_predictions_per_second_for(candidates: int, auctions_per_second: float) -> float:
    return est.predictions_per_second(auctions_per_second, candidates)


@value(short)
def peak_predictions_per_second() -> float:
    return peak_predictions_per_second_for(A.candidates_per_auction, peak_auctions_per_second())


@value(short)
def peak_user_feature_lookups() -> float:
    """Feature values fetched from the online store per second at peak (user and context side)."""
    return peak_auctions_per_second() * A.feature_fields_per_request


@value(short)
def clicks_per_day() -> float:
    return auctions_per_day() * A.click_through_rate


def serving_units_for(family_id: str, candidates: int = A.candidates_per_auction,
                      auctions_per_second: float | None = None) -> int:
    """Cores or GPUs a family needs to score ``candidates`` per auction at peak, at target utilisation."""
    rate = peak_auctions_per_second() if auctions_per_second is None else auctions_per_second
    family = _family(family_id)
    return est.accelerators_needed(est.predictions_per_second(rate, candidates), family.rate_per_unit,
                                   A.serving_utilisation)


@value(count)
def serving_units(family_id: str) -> int:
    return serving_units_for(family_id)


def _family(family_id: str) -> Family:
    for family in MODEL_FAMILIES:
        if family.id == family_id:
            return family
    raise KeyError(f"no model family {family_id!r} (families: {', '.join(f.id for f in MODEL_FAMILIES)})")


# --------------------------------------------------------------------------------------------
# Memory: embedding tables, the ad feature cache, the click joiner
# --------------------------------------------------------------------------------------------


@value(short)
def embedding_rows() -> float:
    return sum(t.rows for t in EMBEDDING_TABLES)


@value(nbytes)
def embedding_bytes(bytes_per_value: float = 4) -> float:
    """Serving memory of every embedding table at one precision."""
    return est.embedding_bytes(int(embedding_rows()), A.embedding_dim, bytes_per_value)


@value(nbytes)
def table_bytes(table_id: str, bytes_per_value: float = 4) -> float:
    rows = next(t.rows for t in EMBEDDING_TABLES if t.id == table_id)
    return est.embedding_bytes(int(rows), A.embedding_dim, bytes_per_value)


@value(nbytes)
def training_embedding_bytes() -> float:
    """fp32 weights plus optimizer state, as the trainer holds them."""
    return embedding_bytes(4) * A.optimizer_state_factor


@value(count)
def training_shards() -> int:
    return est.shards_needed(training_embedding_bytes(), A.host_memory_bytes)


@value(nbytes)
def ad_feature_cache_bytes() -> float:
    """Every active ad's embedding and dense features, cached in each scoring server."""
    return A.active_ads * (A.embedding_dim * 4 * 2 + 512)  # ad and advertiser vectors + 512 B of dense features


@value(nbytes)
def joiner_buffer_bytes() -> float:
    """Impressions held at peak while their click window is open."""
    return peak_auctions_per_second() * A.click_join_window_minutes * 60 * A.joiner_bytes_per_impression


# --------------------------------------------------------------------------------------------
# Training data, downsampling and recalibration
# --------------------------------------------------------------------------------------------


@value(short)
def training_rows_per_day() -> float:
    return est.training_rows_per_day(auctions_per_day(), A.click_through_rate, A.negative_keep_rate)


@value(nbytes)
def training_bytes_per_day() -> float:
    return training_rows_per_day() * A.bytes_per_training_row


@value(nbytes)
def retrain_bytes() -> float:
    return training_bytes_per_day() * A.training_days


@value(lambda v: fixed(v, 1))
def negatives_per_click() -> float:
    return (1 - A.click_through_rate) * A.negative_keep_rate / A.click_through_rate


def sampled_rate_for(rate: float, negative_keep_rate: float) -> float:
    """Positive rate after keeping a share w of negatives: r / (r + (1 - r) w)."""
    return rate / (rate + (1 - rate) * negative_keep_rate)


@value(percent)
def sampled_click_rate() -> float:
    """The click rate the downsampled training set shows, and that an unrecalibrated model predicts."""
    return sampled_rate_for(A.click_through_rate, A.negative_keep_rate)


@value(percent)
def recalibrated_average() -> float:
    """The sampled rate mapped back with q = p / (p + (1 - p) / w): the true CTR again."""
    return est.recalibrate_downsampled(sampled_click_rate(), A.negative_keep_rate)


#: A raw prediction of the downsampled model for one high-intent impression, recalibrated in the text.
RECALIBRATION_EXAMPLE_OUTPUT = 0.30


@value(percent)
def recalibration_input() -> float:
    return RECALIBRATION_EXAMPLE_OUTPUT


@value(percent)
def recalibrated_example() -> float:
    return est.recalibrate_downsampled(RECALIBRATION_EXAMPLE_OUTPUT, A.negative_keep_rate)


@value(lambda v: f"{v:.1f}×")
def uncorrected_overprediction() -> float:
    """How many times too high the average prediction is if nobody recalibrates."""
    return sampled_click_rate() / A.click_through_rate


# --------------------------------------------------------------------------------------------
# Latency and fan-out
# --------------------------------------------------------------------------------------------


def latency_budget(target_ms: float = A.scoring_budget_ms) -> LatencyBudget:
    return LatencyBudget(target_ms, stages_from_shares(target_ms, LATENCY_SHARES))


LATENCY = latency_budget()


@value(ms)
def stage_budget(stage_id: str) -> float:
    return LATENCY.stage(stage_id).budget_ms


@value(count)
def scoring_calls() -> int:
    return math.ceil(A.candidates_per_auction / A.ranking_batch_size)


@value(pct)
def scoring_fanout_over() -> float:
    """Share of auctions that wait on at least one scoring call slower than its budgeted quantile."""
    return 1 - est.fanout_quantile(HOUSE.single_call_quantile, scoring_calls())


def peak_scoring_calls_per_second() -> float:
    return peak_auctions_per_second() * scoring_calls()


# --------------------------------------------------------------------------------------------
# The auction: why calibration matters
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ad:
    """One ad in the worked auction: its bid per click, its true CTR, and two models' predictions."""

    id: str
    name: str
    bid: float
    true_ctr: float
    calibrated_pctr: float
    skewed_pctr: float


#: Three ads competing for one slot. The skewed model over-predicts ad C 2.5-fold (a new creative
#: whose id the model has barely seen); it is exact on A and B.
AUCTION: tuple[Ad, ...] = (
    Ad("A", "Ad A (shoes)", 2.00, 0.010, 0.010, 0.010),
    Ad("B", "Ad B (game)", 0.50, 0.030, 0.030, 0.030),
    Ad("C", "Ad C (new creative)", 4.00, 0.004, 0.004, 0.010),
)

MODELS = ("calibrated", "skewed")


def _pctr(ad: Ad, model: str) -> float:
    if model not in MODELS:
        raise KeyError(f"no model {model!r} (models: {', '.join(MODELS)})")
    return ad.calibrated_pctr if model == "calibrated" else ad.skewed_pctr


def auction_ranking(model: str) -> list[Ad]:
    """The ads by predicted value per impression, bid x pCTR, highest first."""
    return sorted(AUCTION, key=lambda ad: -ad.bid * _pctr(ad, model))


def expected_value_per_impression(bid: float, pctr: float) -> float:
    """What an impression of an ad is worth to the auction: bid per click x probability of a click."""
    return bid * pctr


def price_per_click(winner_pctr: float, runner_up_score: float) -> float:
    """Generalised second price: the smallest bid at which the winner still ranks first,
    runner-up's bid x pCTR divided by the winner's pCTR."""
    return runner_up_score / winner_pctr


def auction_winner(model: str) -> str:
    return auction_ranking(model)[0].id


@value(dollars)
def auction_price(model: str) -> float:
    first, second = auction_ranking(model)[:2]
    return price_per_click(_pctr(first, model), second.bid * _pctr(second, model))


@value(dollars)
def auction_revenue_per_mille(model: str) -> float:
    """Platform revenue per thousand impressions of this slot: the winner's true CTR x its price x 1000."""
    winner = auction_ranking(model)[0]
    return 1000 * winner.true_ctr * auction_price(model)


def auction_value_per_mille(model: str) -> float:
    """Value the impressions create at the advertisers' own bids: true CTR x bid x 1000."""
    winner = auction_ranking(model)[0]
    return 1000 * winner.true_ctr * winner.bid


@value(percent)
def auction_revenue_loss() -> float:
    return 1 - auction_revenue_per_mille("skewed") / auction_revenue_per_mille("calibrated")


@value(percent)
def auction_click_loss() -> float:
    """Clicks lost per impression: the skewed winner's true CTR against the calibrated winner's."""
    return 1 - auction_ranking("skewed")[0].true_ctr / auction_ranking("calibrated")[0].true_ctr


@value(times)
def skew_factor() -> float:
    ad = next(a for a in AUCTION if a.id == "C")
    return ad.skewed_pctr / ad.true_ctr


@table
def auction_table() -> str:
    """The worked auction under the calibrated and the skewed model: pCTR and score per 1,000 impressions."""
    rows = []
    for ad in AUCTION:
        calibrated = expected_value_per_impression(ad.bid, ad.calibrated_pctr) * 1000
        skewed = expected_value_per_impression(ad.bid, ad.skewed_pctr) * 1000
        rows.append((ad.name, dollars(ad.bid), percent(ad.true_ctr, 3),
                     f"{percent(ad.calibrated_pctr, 3)} → {dollars(calibrated)}",
                     f"{percent(ad.skewed_pctr, 3)} → {dollars(skewed)}"))
    return md_table(["Ad", "Bid per click", "True CTR", "Calibrated: pCTR → score per 1,000",
                     "Skewed: pCTR → score per 1,000"], rows, align="lrrrr")


@table
def auction_outcome_table() -> str:
    rows = []
    for model, label in (("calibrated", "Calibrated model"), ("skewed", f"C over-predicted {times(skew_factor())}")):
        winner = auction_ranking(model)[0]
        rows.append((label, winner.name, dollars(auction_price(model)), percent(winner.true_ctr, 3),
                     dollars(auction_revenue_per_mille(model)), dollars(auction_value_per_mille(model))))
    return md_table(["Model", "Winner", "Price per click (second price)", "Winner's true CTR",
                     "Platform revenue per 1,000 impressions", "Advertiser value per 1,000 impressions"],
                    rows, align="llrrrr")


def uniform_scale_price(scale: float) -> float:
    """Price per click when every pCTR is multiplied by ``scale``: the ratio, hence the price, is unchanged."""
    ranked = auction_ranking("calibrated")
    first, second = ranked[:2]
    return price_per_click(first.calibrated_pctr * scale, second.bid * second.calibrated_pctr * scale)


@value(dollars)
def uniform_scale_price_doubled() -> float:
    return uniform_scale_price(2.0)


# --------------------------------------------------------------------------------------------
# The worked metric example: three segments of impressions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A group of impressions that a model scores alike: impressions, clicks, and two models' pCTR."""

    name: str
    impressions: int
    clicks: int
    model_a: float
    model_b: float


#: Ten thousand impressions in three segments. Model A is calibrated per segment; model B orders
#: the segments identically but is overconfident: too high at the top, too low at the bottom.
METRIC_EXAMPLE: tuple[Segment, ...] = (
    Segment("Low intent", 7_000, 35, 0.005, 0.002),
    Segment("Medium intent", 2_500, 50, 0.020, 0.020),
    Segment("High intent", 500, 40, 0.080, 0.200),
)


def _metric_data(model: str) -> tuple[list[int], list[float]]:
    labels: list[int] = []
    scores: list[float] = []
    for seg in METRIC_EXAMPLE:
        p = seg.model_a if model == "A" else seg.model_b
        labels += [1] * seg.clicks + [0] * (seg.impressions - seg.clicks)
        scores += [p] * seg.impressions
    return labels, scores


def example_impressions() -> int:
    return sum(seg.impressions for seg in METRIC_EXAMPLE)


def example_clicks() -> int:
    return sum(seg.clicks for seg in METRIC_EXAMPLE)


def example_ctr() -> float:
    return example_clicks() / example_impressions()


def example_background_entropy() -> float:
    return binary_entropy(example_ctr())


def example_log_loss(model: str) -> float:
    return log_loss(*_metric_data(model))


@value(lambda v: fixed(v, 3))
def example_ne(model: str) -> float:
    return normalized_entropy(*_metric_data(model))


@value(lambda v: fixed(v, 3))
def example_auc(model: str) -> float:
    return roc_auc(*_metric_data(model))


@value(lambda v: fixed(v, 3))
def example_calibration(model: str) -> float:
    return calibration_ratio(*_metric_data(model))


@table
def metric_example_table() -> str:
    rows = [(seg.name, count(seg.impressions), count(seg.clicks), percent(seg.clicks / seg.impressions, 3),
             percent(seg.model_a, 3), percent(seg.model_b, 3)) for seg in METRIC_EXAMPLE]
    return md_table(["Segment", "Impressions", "Clicks", "Observed CTR", "Model A pCTR", "Model B pCTR"], rows,
                    align="lrrrrr")


@table
def metric_results_table() -> str:
    rows = [(f"Model {m}", fixed(example_log_loss(m), 4), fixed(example_ne(m)), fixed(example_auc(m)),
             fixed(example_calibration(m))) for m in ("A", "B")]
    rows.append(("Always predict the average CTR", fixed(example_background_entropy(), 4), fixed(1.0), fixed(0.5),
                 fixed(1.0)))
    return md_table(["Model", "Log loss (nats)", "NE", "ROC AUC", "Calibration ratio (expected ÷ observed)"],
                    rows, align="lrrrr")


@table
def reliability_table() -> str:
    """Model B's reliability diagram as a table: equal-mass bins over the worked example."""
    labels, scores = _metric_data("B")
    rows = [(str(i), count(n), percent(mean_p, 3), percent(observed, 3), fixed(observed / mean_p, 2))
            for i, (mean_p, observed, n) in enumerate(reliability_curve(labels, scores, 10, strategy="quantile"), 1)]
    return md_table(["Bin", "Impressions", "Mean pCTR", "Observed CTR", "Observed ÷ predicted"], rows, align="rrrrr")


# --------------------------------------------------------------------------------------------
# The A/B test and continual training
# --------------------------------------------------------------------------------------------


@value(count)
def ab_sample_per_arm() -> int:
    return AB.sample_per_arm()


@value(days)
def ab_planned_days() -> int:
    return AB.planned_days()


@value(short)
def updates_per_day() -> float:
    return 24 * 60 / A.incremental_update_minutes


@value(short)
def rows_per_update() -> float:
    return training_rows_per_day() / updates_per_day()


@value(lambda v: fixed(v, 2))
def calibration_alert_low() -> float:
    return 1 - A.calibration_alert_band


@value(lambda v: fixed(v, 2))
def calibration_alert_high() -> float:
    return 1 + A.calibration_alert_band


@value(short)
def clicks_per_update() -> float:
    return clicks_per_day() / updates_per_day()


@value(lambda v: pct(v, 2))
def calibration_noise_per_update() -> float:
    """Relative standard error of one update's observed CTR: 1 / sqrt(clicks), the Poisson noise."""
    return 1 / math.sqrt(clicks_per_update())


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


@table
def capacity_table() -> str:
    """Auctions, predictions and look-ups, average and peak."""
    rows = [
        ("Auctions per day", "DAU × ad slots per user", short(auctions_per_day()), "—"),
        ("Auctions per second", f"per day ÷ {count(HOUSE.seconds_per_day)}; peak × {HOUSE.peak_to_average:g}",
         short(avg_auctions_per_second()), short(peak_auctions_per_second())),
        ("pCTR predictions per second", f"auctions/s × {count(A.candidates_per_auction)} candidates",
         short(avg_predictions_per_second()), short(peak_predictions_per_second())),
        ("Scoring calls per second", f"auctions/s × {count(scoring_calls())} calls of {count(A.ranking_batch_size)}",
         "—", short(peak_scoring_calls_per_second())),
        ("User feature values fetched per second", f"auctions/s × {count(A.feature_fields_per_request)} features",
         "—", short(peak_user_feature_lookups())),
        ("Clicks per day", f"auctions × {percent(A.click_through_rate)} CTR", short(clicks_per_day()), "—"),
    ]
    return md_table(["Quantity", "Formula", "Average", "Peak"], rows, align="llrr")


@table
def fleet_table() -> str:
    """Serving hardware per model family at peak, scoring every candidate."""
    rows = [(f.name, f.adds, f"{short(f.rate_per_unit)} per {f.unit[:-1].replace('CPU core', 'core')}",
             f"{count(serving_units(f.id))} {f.unit}") for f in MODEL_FAMILIES]
    return md_table(["Model family", "What it adds", "Assumed throughput",
                     f"Needed at peak ({percent(A.serving_utilisation)} utilisation)"], rows, align="lllr")


@table
def embedding_table() -> str:
    """Embedding tables' serving memory at three precisions, and the trainer's copy."""
    rows = [(t.name, short(t.rows), *(nbytes(table_bytes(t.id, b)) for b in (4, 2, 1))) for t in EMBEDDING_TABLES]
    rows.append(("**All tables**", short(embedding_rows()), *(f"**{nbytes(embedding_bytes(b))}**" for b in (4, 2, 1))))
    return md_table(["Table", "Rows (hash buckets)", f"fp32, {A.embedding_dim}-d", "fp16", "int8"], rows,
                    align="lrrrr")


@table
def training_data_table() -> str:
    rows = [
        ("Impressions per day", "one per auction", short(auctions_per_day())),
        ("Clicks (positives)", f"× {percent(A.click_through_rate)} CTR", short(clicks_per_day())),
        ("Unclicked impressions kept", f"× {percent(A.negative_keep_rate)} keep rate w",
         short(training_rows_per_day() - clicks_per_day())),
        ("Training rows per day", "positives + kept negatives", short(training_rows_per_day())),
        ("Training bytes per day", f"rows × {nbytes(A.bytes_per_training_row)}", nbytes(training_bytes_per_day())),
        (f"A full retrain's input ({days(A.training_days)})", "bytes per day × days", nbytes(retrain_bytes())),
        ("Click joiner's buffer at peak", f"peak impressions/s × {minutes(A.click_join_window_minutes)} × "
                                          f"{nbytes(A.joiner_bytes_per_impression)}", nbytes(joiner_buffer_bytes())),
    ]
    return md_table(["Quantity", "Formula", "Value"], rows, align="llr")


@table
def latency_budget_table() -> str:
    return latency.latency_budget_table(LATENCY)


@table
def ab_test_table() -> str:
    return ab_plan_table(AB)


@table
def interview_timeline_table() -> str:
    return interview_plan_table(INTERVIEW_PLAN)


@value(percentile)
def call_quantile() -> float:
    return HOUSE.single_call_quantile


# --------------------------------------------------------------------------------------------
# Practice material (snippets/kit/practice.py): the cheat sheet, the rubric and the drills
# --------------------------------------------------------------------------------------------

GLANCE = Glance(
    surface="Ads between the posts of a feed: one auction per ad slot, advertisers pay per click",
    users=Fact("Daily active users", A.daily_active_users, fmt=short),
    traffic=Fact("Auctions per second at peak", peak_auctions_per_second),
    latency=Fact("To score one auction", A.scoring_budget_ms, fmt=ms),
    funnel=(
        Fact("Ads eligible to serve on a given day", A.active_ads, fmt=short),
        Fact("Candidates left by targeting, budgets and policy, scored per auction", A.candidates_per_auction,
             fmt=count),
        Fact("pCTR predictions per second at peak", peak_predictions_per_second),
    ),
    model="One stage: a deep and cross network on hashed-id embeddings and dense history features, served on "
          "GPUs, then the downsampling correction and a per-segment calibration layer; a hashed LR in the scoring "
          "service as the fallback; the auction ranks by bid × pCTR",
    offline_metric="Normalised entropy and the calibration ratio (overall and per segment) on the next, "
                   "un-downsampled hour; ROC AUC and an equal-mass reliability diagram beside them",
    online_metric="Revenue per thousand impressions and ad click-through rate, in a budget-split A/B test on the "
                  "share of users who click an ad; hides, reports, advertiser cost per click and feed engagement "
                  "as guardrails",
    memory=Fact("Embedding tables, the fp16 copy on every scoring replica", embedding_bytes, 2),
    trade_offs=(
        "The auction multiplies every prediction by a different bid, so a model that orders ads well but "
        "over-predicts one segment hands it slots it is not worth: calibration per segment, not AUC, is what "
        "this model is judged on.",
        "Scoring every candidate with a deep cross network needs a GPU fleet where a hashed LR needs a modest "
        "CPU pool; a cascade would shrink the fleet, at the price of a second model to keep calibrated and of "
        "the ads its cheap first stage misjudges.",
        "Downsampling negatives and updating every hour make training cheap and fresh, but each adds a way to "
        "mis-price the whole auction at once (a stale keep rate in the correction, a bad hour of data), so every "
        "version passes a calibration and drift gate before it serves.",
    ),
)

RUBRIC: tuple[Grade, ...] = (
    Grade("Clarify requirements",
          strong="Asks how the ad is chosen and priced (bid × pCTR, second price, pay per click), what exactly "
                 "counts as a billed click, the auctions and candidates per day, the scoring budget and how "
                 "fast new ads arrive, and turns them into targets such as a calibration band per segment.",
          adequate="Gets the scale, candidates and latency, but never asks how the prediction is used, so the "
                   "need for calibrated probabilities appears late or not at all.",
          weak="Treats it as a generic click classifier and starts on features before knowing that the output is "
               "spent as money in an auction."),
    Grade("Frame as an ML task",
          strong="Frames a pointwise binary classifier trained with log loss whose calibrated output is multiplied "
                 "by the bid into eCPM; explains why a ranking score cannot be compared across bids and why "
                 "conversions are a separate, delayed model.",
          adequate="Proposes click probability with log loss, but justifies it by ranking quality alone and does "
                   "not say why the scale must hold across ads and advertisers.",
          weak="Proposes a pairwise ranking loss or a relevance score with no scale, or optimises conversions "
               "without noticing labels that arrive weeks late."),
    Grade("Back of the envelope",
          strong="Derives auctions per second at peak, predictions per second (auctions × candidates), the fleet "
                 "per model family from it, and the embedding tables' memory (rows × dimension × bytes), and "
                 "concludes that the deep model needs GPUs or a cascade.",
          adequate="Computes auctions and predictions per second but stops before the fleet or the memory, so the "
                   "model choice is not tied to cost.",
          weak="Sizes the system by auctions alone, forgetting that every auction scores every candidate, or "
               "skips the estimate."),
    Grade("Data and features",
          strong="Logs the impression with the features seen at serve time, joins clicks in a streaming window "
                 "with late corrections, downsamples negatives and recalibrates with q = p / (p + (1 − p) / w), "
                 "handles position bias, and builds leak-free, smoothed historical CTR features.",
          adequate="Describes labels and sensible features, mentions downsampling but not that it shifts every "
                   "prediction up, or misses position bias.",
          weak="Lists features without defining the impression as the unit, the click window, or how the class "
               "imbalance is handled."),
    Grade("Model",
          strong="Walks the progression (hashed LR with crosses, trees feeding LR, FM and FFM, DCN), says what each "
                 "adds and costs, picks a DCN with embeddings for sparse fields, and adds a calibration layer fitted "
                 "on recent un-downsampled traffic.",
          adequate="Picks a reasonable deep model with embeddings, but cannot say what the earlier families "
                   "contribute or where calibration is restored.",
          weak="Names the newest architecture with no baseline, no word on embeddings' memory and no calibration "
               "step."),
    Grade("Evaluation",
          strong="Uses normalised entropy and the calibration ratio, overall and per segment, on the next hour "
                 "un-downsampled, with AUC as a secondary check; sizes the A/B test and runs it budget-split, with "
                 "guardrails on hides, reports and advertiser cost per click.",
          adequate="Reports log loss or AUC and an A/B test on CTR or revenue, without calibration per segment or "
                   "the budget interference between arms.",
          weak="AUC alone, or an A/B test that shares advertiser budgets between arms and calls the treatment's "
               "borrowed spend a win."),
    Grade("Serving and monitoring",
          strong="Splits the scoring budget by stage, computes user features once per auction and caches ads "
                 "locally, handles the fan-out tail of parallel scoring calls with deadlines and an LR fallback, "
                 "and gates hourly updates on NE, calibration and prediction drift.",
          adequate="Draws the request path and mentions retraining, but without a latency split, a fallback or a "
                   "gate before a new version serves.",
          weak="Retrains daily or weekly for an inventory that changes hourly, with no fallback when the model "
               "server is slow."),
    Grade("Wrap-up and trade-offs",
          strong="Names what was given up (a GPU fleet over a cascade, calibration machinery to maintain, freshness "
                 "against reproducibility) and the next step, such as a cascade or conversion prediction.",
          adequate="Summarises the design without the sacrifices it made.",
          weak="Runs out of time before a summary, or presents the design as having no costs."),
)


def _peak_steps(a: Assumptions) -> list[Step]:
    return peak_steps(a.daily_active_users, a.ad_slots_per_user_per_day, "auctions", "ad slots")


def _prediction_steps(a: Assumptions) -> list[Step]:
    steps = _peak_steps(a)
    rate = est.predictions_per_second(steps[-1].value, a.candidates_per_auction)
    return steps + [Step("pCTR predictions per second at peak",
                         f"peak auctions × {count(a.candidates_per_auction)} candidates", rate, short)]


def _fleet_steps(a: Assumptions, per_unit: float, unit: str, what: str) -> list[Step]:
    steps = _prediction_steps(a)
    return steps + [Step(what, f"predictions ÷ ({short(per_unit)} per {unit[:-1]} × "
                               f"{percent(a.serving_utilisation)} utilisation), rounded up",
                         est.accelerators_needed(steps[-1].value, per_unit, a.serving_utilisation), count)]


def _lr_core_steps(a: Assumptions) -> list[Step]:
    return _fleet_steps(a, a.lr_predictions_per_core, "CPU cores", "CPU cores for the hashed LR")


def _dcn_gpu_steps(a: Assumptions) -> list[Step]:
    return _fleet_steps(a, a.dcn_predictions_per_gpu, "GPUs", "GPUs for the DCN")


def _embedding_rows_steps(a: Assumptions) -> list[Step]:
    rows = a.user_id_buckets + a.ad_id_buckets + a.advertiser_buckets + a.other_field_count * a.other_field_buckets
    return [Step("Hash buckets, every table", f"{short(a.user_id_buckets)} user + {short(a.ad_id_buckets)} ad + "
                 f"{short(a.advertiser_buckets)} advertiser + {count(a.other_field_count)} fields × "
                 f"{short(a.other_field_buckets)}", rows, short)]


def _serving_embedding_steps(a: Assumptions) -> list[Step]:
    steps = _embedding_rows_steps(a)
    return steps + [Step("Serving copy at fp16", f"rows × {count(a.embedding_dim)} dimensions × 2 bytes",
                         est.embedding_bytes(int(steps[-1].value), a.embedding_dim, 2), nbytes)]


def _training_shard_steps(a: Assumptions) -> list[Step]:
    steps = _embedding_rows_steps(a)
    weights = est.embedding_bytes(int(steps[-1].value), a.embedding_dim, 4)
    trainer = weights * a.optimizer_state_factor
    return steps + [
        Step("Weights at fp32", f"rows × {count(a.embedding_dim)} dimensions × 4 bytes", weights, nbytes),
        Step("Trainer's copy", f"weights × {times(a.optimizer_state_factor)} (weights and optimiser state)",
             trainer, nbytes),
        Step("Parameter-server hosts", f"trainer's copy ÷ {nbytes(a.host_memory_bytes)} per host, rounded up",
             est.shards_needed(trainer, a.host_memory_bytes), count),
    ]


def _training_rows_steps(a: Assumptions) -> list[Step]:
    impressions = a.daily_active_users * a.ad_slots_per_user_per_day
    return [
        Step("Impressions per day", f"{short(a.daily_active_users)} users × {plain(a.ad_slots_per_user_per_day)} "
             "ad slots, one impression per auction", impressions, short),
        Step("Clicks per day", f"impressions × {percent(a.click_through_rate)} CTR",
             impressions * a.click_through_rate, short),
        Step("Training rows per day", f"every click + {percent(a.negative_keep_rate)} of the unclicked impressions",
             est.training_rows_per_day(impressions, a.click_through_rate, a.negative_keep_rate), short),
    ]


def _retrain_steps(a: Assumptions) -> list[Step]:
    steps = _training_rows_steps(a)
    per_day = steps[-1].value * a.bytes_per_training_row
    return steps + [
        Step("Training bytes per day", f"rows × {nbytes(a.bytes_per_training_row)}", per_day, nbytes),
        Step("A full retrain's input", f"bytes per day × {days(a.training_days)}", per_day * a.training_days, nbytes),
    ]


def _sampled_rate_steps(a: Assumptions) -> list[Step]:
    r, w = a.click_through_rate, a.negative_keep_rate
    return [
        Step("Kept negatives per click", f"(1 − {percent(r)}) × {percent(w)} ÷ {percent(r)}", (1 - r) * w / r,
             lambda v: fixed(v, 1)),
        Step("Average the uncorrected model predicts", f"{percent(r)} ÷ ({percent(r)} + (1 − {percent(r)}) × "
             f"{percent(w)})", sampled_rate_for(r, w), percent),
    ]


def _joiner_steps(a: Assumptions) -> list[Step]:
    steps = _peak_steps(a)
    held = steps[-1].value * a.click_join_window_minutes * 60
    return steps + [
        Step("Impressions waiting for their click", f"peak × {minutes(a.click_join_window_minutes)} × 60 s", held,
             short),
        Step("Joiner state at peak", f"impressions × {nbytes(a.joiner_bytes_per_impression)}",
             held * a.joiner_bytes_per_impression, nbytes),
    ]


def _inference_budget_steps(a: Assumptions) -> list[Step]:
    return stage_budget_steps(a.scoring_budget_ms, LATENCY_SHARES, "inference", "Model inference's share of the budget")


def _fanout_steps(a: Assumptions) -> list[Step]:
    calls = math.ceil(a.candidates_per_auction / a.ranking_batch_size)
    within = est.fanout_quantile(HOUSE.single_call_quantile, calls)
    return [
        Step("Scoring calls per auction", f"{count(a.candidates_per_auction)} candidates ÷ "
             f"{count(a.ranking_batch_size)} per call, rounded up", calls, count),
        Step("Auctions whose every call meets its quantile",
             f"{fixed(HOUSE.single_call_quantile, 2)} to the power {count(calls)}", within, pct),
        Step("Auctions waiting on a call slower than its " + percentile(HOUSE.single_call_quantile),
             "1 − that share", 1 - within, pct),
    ]


def _ab_plan(a: Assumptions) -> ABPlan:
    return ABPlan(metric=AB.metric, baseline_rate=a.ab_baseline_rate, relative_mde=a.ab_relative_mde,
                  daily_users=a.daily_active_users, traffic_fraction=a.ab_traffic_fraction,
                  measured_days=a.ab_metric_window_days)


def _ab_sample_steps(a: Assumptions) -> list[Step]:
    return ab_sample_steps(_ab_plan(a))


def _ab_days_steps(a: Assumptions) -> list[Step]:
    return ab_days_steps(_ab_plan(a), entering=("Users entering the test per day",
                         f"{short(a.daily_active_users)} × {percent(a.ab_traffic_fraction)}"))


def _update_noise_steps(a: Assumptions) -> list[Step]:
    clicks = a.daily_active_users * a.ad_slots_per_user_per_day * a.click_through_rate
    updates = 24 * 60 / a.incremental_update_minutes
    per_update = clicks / updates
    return [
        Step("Clicks per day", f"{short(a.daily_active_users)} × {plain(a.ad_slots_per_user_per_day)} slots × "
             f"{percent(a.click_through_rate)}", clicks, short),
        Step("Updates per day", f"24 h ÷ {minutes(a.incremental_update_minutes)}", updates, short),
        Step("Clicks per update", "clicks per day ÷ updates per day", per_update, short),
        Step("Relative noise of one update's observed CTR", "1 ÷ √(clicks per update)", 1 / math.sqrt(per_update),
             lambda v: pct(v, 2)),
    ]


DRILLS: tuple[Drill, ...] = (
    Drill("Twice the users", "The app launches in new markets and its daily users double. How many auctions per "
          "second must scoring handle at peak?", {"daily_active_users": 1e9}, _peak_steps, peak_auctions_per_second),
    Drill("A heavier ad load", "Product raises the number of ad slots each user sees in a day. How many CPU cores "
          "would the hashed LR need to score the whole peak load on its own?", {"ad_slots_per_user_per_day": 60},
          _lr_core_steps, serving_units, "lr"),
    Drill("Looser targeting", "Advertisers broaden their targeting and twice as many ads survive the filters into "
          "each auction. How many GPUs does the DCN need at peak?", {"candidates_per_auction": 4_000},
          _dcn_gpu_steps, serving_units, "dcn_gpu"),
    Drill("A heavier model", "The next DCN has more cross layers and the load test shows half the throughput per "
          "GPU. How many GPUs at peak?", {"dcn_predictions_per_gpu": 1_000_000}, _dcn_gpu_steps,
          serving_units, "dcn_gpu"),
    Drill("Wider embeddings", "The team wants to try 64-dimensional embeddings on every sparse field. How large is "
          "the fp16 copy each scoring replica holds?", {"embedding_dim": 64}, _serving_embedding_steps,
          embedding_bytes, 2),
    Drill("More sparse fields", "Feature engineering adds hashed crosses, doubling the number of other sparse "
          "fields. How much memory do the fp16 tables take now?", {"other_field_count": 80},
          _serving_embedding_steps, embedding_bytes, 2),
    Drill("Adam on smaller hosts", "The trainer switches the embeddings to Adam (two moments per value) and the "
          "parameter servers are a smaller host type. How many hosts hold the tables?",
          {"optimizer_state_factor": 3.0, "host_memory_bytes": 128e9}, _training_shard_steps, training_shards),
    Drill("A rarer click", "A new placement clicks at half the rate. How many training rows a day after "
          "downsampling?", {"click_through_rate": 0.005}, _training_rows_steps, training_rows_per_day),
    Drill("Keep more negatives", "Training keeps twice the share of unclicked impressions. What average click "
          "rate does the model learn before the correction?", {"negative_keep_rate": 0.10}, _sampled_rate_steps,
          sampled_click_rate),
    Drill("Two months of richer logs", "A full retrain reads twice as many days, and each row carries more dense "
          "features. How much data does it read?", {"training_days": 60, "bytes_per_training_row": 800},
          _retrain_steps, retrain_bytes),
    Drill("A longer click window", "Analysts find too many late clicks and want to wait an hour before emitting a "
          "negative. How much state does the click joiner hold at peak?", {"click_join_window_minutes": 60},
          _joiner_steps, joiner_buffer_bytes),
    Drill("A tighter budget", "The feed team cuts the scoring budget to make room for a new feature. How long may "
          "model inference take?", {"scoring_budget_ms": 30.0}, _inference_budget_steps, stage_budget, "inference"),
    Drill("Smaller scoring calls", "The model servers move to CPU replicas that take smaller batches per call. "
          "What share of auctions now wait on at least one slow call?", {"ranking_batch_size": 100},
          _fanout_steps, scoring_fanout_over),
    Drill("A subtler model change", "The new model is expected to move the metric by half as much. How many users "
          "per arm does the test need?", {"ab_relative_mde": 0.0025}, _ab_sample_steps, ab_sample_per_arm),
    Drill("A thin slice of traffic", "Many ranking experiments share users, so this one gets a twentieth of its "
          "usual share. How long must it run?", {"ab_traffic_fraction": 0.001}, _ab_days_steps, ab_planned_days),
    Drill("Quarter-hour updates", "The team updates the model every fifteen minutes. How noisy is one update's "
          "observed click rate, the number the calibration gate compares against?",
          {"incremental_update_minutes": 15}, _update_noise_steps, calibration_noise_per_update),
)
