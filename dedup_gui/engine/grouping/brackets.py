"""Exposure brackets among the similar-shot series: frames made to be merged, not retakes.

Why: a bracket's frames (-2, 0, +2 EV within a second) are other shots of one scene, so they
form a series, and its best shot is the best exposed frame (series.py). But "keep the best of
each series" then marked the other frames Remove: the dark and bright frames an HDR merge is
made from, and the series' star went to the -2 EV frame "with no clipped highlights" (an
enthusiast's check). A series is a bracket when its camera said so (ExposureMode "auto
bracket" on a frame) or its frames were shot at two or more compensations
(signals/exposure.py); a burst keeps one compensation. Such a series is shown as a bracket,
its suggested frame is the one nearest 0 EV (the camera's own metering), and "keep the best"
leaves it whole.
"""

from __future__ import annotations

from collections.abc import Sequence

from dedup_gui.engine.signals.exposure import Exposure

BRACKET = "exposure bracket"


def bracket_words(exposures: Sequence[Exposure]) -> str:
    """'exposure bracket, -2 to +2 EV' (or 'exposure bracket' when the camera flagged the
    frames but wrote one compensation) for a bracket's frames; '' for any other series."""
    biases = sorted({bias for bias, _auto in exposures if bias is not None})
    if len(biases) < 2 and not any(auto for _bias, auto in exposures):
        return ""
    if len(biases) < 2:
        return BRACKET
    return f"{BRACKET}, {ev_text(biases[0])} to {ev_text(biases[-1])} EV"


def ev_text(ev: float) -> str:
    """'+2', '-0.7', '0': a compensation as cameras print it."""
    text = f"{ev:+.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("+0", "-0") else text.replace("-", "\u2212")


def nearest_normal(exposures: Sequence[Exposure]) -> list[int]:
    """The indexes of the frames nearest 0 EV (a frame that states none counts as farthest):
    the camera's own metering, the frame a person would look at first."""
    gaps = [abs(bias) if bias is not None else float("inf") for bias, _auto in exposures]
    return [i for i, gap in enumerate(gaps) if gap == min(gaps)]


def bracket_reason(bias: float | None, words: str) -> str:
    """Why the bracket's suggested frame is suggested, as the series' best-shot reason."""
    frame = f"the {ev_text(bias)} EV frame" if bias is not None else "the frame"
    return f"{frame} of an {words}: frames for merging, all kept"
