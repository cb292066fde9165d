"""Cross-row rules the publications imply, as vectorised functions returning one boolean per row.

Every rule marks only the rows that break it (the total row whose parts do not add up, the parent region whose
districts do not), so the failure report names the line to look at. Rows whose value is unknown (a missing-value
symbol) never take part: a rule is checked only where every figure it needs is published. Tolerances come from
the publishers' rounding, stated per published value: AZR and SGB XII counts are rounded to multiples of 5, so each
may be off by at most 2 persons, and a sum of n rounded values by 2·n.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

EPS = 1e-6
KNOWN = ("", "-")


def known(df: pd.DataFrame) -> pd.Series:
    """True where the value is published (a number, or '-' for exactly zero)."""
    return df["status"].isin(KNOWN)


def total_equals_parts(
    df: pd.DataFrame,
    by: list[str],
    dim: str,
    parts: Iterable[str] | None = None,
    total: str = "total",
    tolerance_per_value: float = 0.0,
    at_most: bool = False,
) -> pd.Series:
    """Within each group ``by``, the row where ``dim == total`` equals the sum of the rows whose ``dim`` is one of
    ``parts`` (default: every other row). With ``at_most`` the parts may fall short of the total (an unassigned
    remainder exists) but never exceed it. Groups missing a listed part are skipped."""
    ok = pd.Series(True, index=df.index)
    is_total = df[dim] == total
    parts = list(parts) if parts is not None else None
    is_part = df[dim].isin(parts) if parts is not None else ~is_total
    if not is_total.any() or not is_part.any():
        return ok
    part_rows = df.loc[is_part, by + ["value"]].assign(_known=known(df)[is_part])
    agg = part_rows.groupby(by, dropna=False, sort=False).agg(
        parts_sum=("value", "sum"), parts_n=("value", "size"), parts_known=("_known", "all")
    )
    totals = df.loc[is_total & known(df), by + ["value"]]
    merged = totals.reset_index().merge(agg.reset_index(), on=by, how="inner")
    merged = merged[merged["parts_known"]]
    if parts is not None:
        merged = merged[merged["parts_n"] == len(parts)]
    tol = tolerance_per_value * (merged["parts_n"] + 1) + EPS
    diff = merged["value"] - merged["parts_sum"]
    bad = (diff < -tol) if at_most else (diff.abs() > tol)
    ok.loc[merged.loc[bad, "index"].to_numpy()] = False
    return ok


def age_bands_add_up(df: pd.DataFrame, by: list[str]) -> pd.Series:
    """Where a group's age bands tile 0 to an open-ended top band without gap or overlap, they add up to the group's
    'total' row exactly. Groups holding only some bands (an extract) are not checked."""
    ok = pd.Series(True, index=df.index)
    bands = df.loc[df["age_group"] != "total", by + ["age_from", "age_to", "value"]].assign(_known=known(df))
    if bands.empty:
        return ok
    bands = bands.sort_values(by + ["age_from"])
    grp = bands.groupby(by, dropna=False, sort=False)
    nxt = grp["age_from"].shift(-1)
    is_last = nxt.isna()
    contiguous = np.where(is_last, bands["age_to"].isna(), bands["age_to"] == nxt)
    bands = bands.assign(_contiguous=contiguous, _first_zero=grp["age_from"].transform("min") == 0)
    agg = bands.groupby(by, dropna=False, sort=False).agg(
        parts_sum=("value", "sum"), tiles=("_contiguous", "all"), starts=("_first_zero", "all"), all_known=("_known", "all")
    )
    agg = agg[agg["tiles"] & agg["starts"] & agg["all_known"]]
    totals = df.loc[(df["age_group"] == "total") & known(df), by + ["value"]]
    merged = totals.reset_index().merge(agg.reset_index(), on=by, how="inner")
    bad = (merged["value"] - merged["parts_sum"]).abs() > EPS
    ok.loc[merged.loc[bad, "index"].to_numpy()] = False
    return ok


def hierarchy_adds_up(
    df: pd.DataFrame,
    by: list[str],
    parent_len: int,
    child_len: int,
    tolerance_per_value: float = 0.0,
    where: pd.Series | None = None,
    at_most: bool = False,
) -> pd.Series:
    """The value of each region whose code has ``parent_len`` characters (2 = Land, 3 = Regierungsbezirk,
    5 = district; 0 = Germany, code 'DG') equals the sum over the regions whose ``child_len``-character codes start
    with it. With ``at_most`` the children may fall short (the parent counts people assigned to no child region) but
    never exceed it. Regions without children in the table are not checked; nor are groups with an unknown child."""
    ok = pd.Series(True, index=df.index)
    sub = df if where is None else df.loc[where]
    codes = sub["ags"]
    if parent_len == 0:
        parents = sub.loc[codes == "DG"]
        children = sub.loc[(codes.str.len() == child_len) & codes.str.isdigit()].assign(_parent="DG")
    else:
        parents = sub.loc[(codes.str.len() == parent_len) & codes.str.isdigit()]
        children = sub.loc[(codes.str.len() == child_len) & codes.str.isdigit()]
        children = children.assign(_parent=children["ags"].str[:parent_len])
    if parents.empty or children.empty:
        return ok
    children = children.assign(_known=known(children))
    agg = children.groupby(["_parent", *by], dropna=False, sort=False).agg(
        parts_sum=("value", "sum"), parts_n=("value", "size"), all_known=("_known", "all")
    )
    agg = agg[agg["all_known"]].reset_index().rename(columns={"_parent": "ags"})
    tops = parents.loc[known(parents), ["ags", *by, "value"]].reset_index()
    merged = tops.merge(agg, on=["ags", *by], how="inner")
    tol = tolerance_per_value * (merged["parts_n"] + 1) + EPS
    diff = merged["value"] - merged["parts_sum"]
    bad = (diff < -tol) if at_most else (diff.abs() > tol)
    ok.loc[merged.loc[bad, "index"].to_numpy()] = False
    return ok


def multiple_of(df: pd.DataFrame, base: int) -> pd.Series:
    """Published values are multiples of ``base`` (AZR secrecy rounding)."""
    values = df["value"]
    return ~known(df) | (np.mod(values, base) == 0)


def is_integral(df: pd.DataFrame) -> pd.Series:
    values = df["value"]
    return ~known(df) | (np.mod(values, 1) == 0)


def status_matches_value(df: pd.DataFrame) -> pd.Series:
    """A plain number has a value; '-' means exactly 0; a missing-value symbol has no value."""
    status, value = df["status"], df["value"]
    return ((status == "") & value.notna()) | ((status == "-") & (value == 0)) | (~status.isin(KNOWN) & value.isna())


def density_agrees(df: pd.DataFrame, by: list[str], decimals: int = 1, where: pd.Series | None = None) -> pd.Series:
    """Published density equals population / area, allowing for the rounding of the density (``decimals``) and of
    the area (2 decimals). Rows are told apart by ``indicator`` (population, area, population_density)."""
    ok = pd.Series(True, index=df.index)
    sel = df[known(df) if where is None else known(df) & where]
    wide = sel.pivot_table(index=by, columns="indicator", values="value", aggfunc="first")
    needed = ["population", "area", "population_density"]
    if not set(needed) <= set(wide.columns):
        return ok
    wide = wide.dropna(subset=needed)
    wide = wide[wide["area"] > 0]
    computed = wide["population"] / wide["area"]
    tol = 0.5 * 10 ** (-decimals) + computed * 0.005 / wide["area"] + EPS
    bad = wide[(computed - wide["population_density"]).abs() > tol].reset_index()[by]
    if len(bad):
        rows = sel[sel["indicator"] == "population_density"].reset_index().merge(bad, on=by)
        ok.loc[rows["index"].to_numpy()] = False
    return ok


_PRINTED_PCT = re.compile(r"(\d+)(?:[,.](\d+))?\s*%")


def printed_decimals(printed: str) -> int | None:
    """Decimals of a share as printed ('19,1 %' -> 1, '9 %' -> 0); None if no percentage is printed."""
    m = _PRINTED_PCT.search(printed or "")
    if not m:
        return None
    return len(m.group(2)) if m.group(2) else 0


def share_agrees(value: pd.Series, computed: pd.Series, printed: pd.Series) -> pd.Series:
    """A printed share equals the share computed from counts, to the printed rounding."""
    decimals = printed.map(printed_decimals)
    tol = 0.5 * 10.0 ** (-decimals.fillna(1).astype(float)) + EPS
    return (computed - value).abs() <= tol
