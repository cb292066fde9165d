"""Group ``reconciliation``: state, federal, municipal and profile figures for the same thing compared in DuckDB
(warehouse/sql/reconciliation/comparisons.sql), judged by the rules in pipeline/reconciliation/rules.yaml."""

import dagster as dg
import pandas as pd

from pipeline import versions
from pipeline.defs.core.assets import KNOWN as CORE_KNOWN
from pipeline.defs.markdown import md_table
from pipeline.defs.resources import Warehouse
from pipeline.defs.sql_assets import frame_asset_metadata, sql_asset
from pipeline.reconciliation.rules import RULES_FILE, load_rules
from pipeline.warehouse.tables import replace_table

RULES_KEY = dg.AssetKey(["reconciliation", "rules"])
COMPARISONS_KEY = dg.AssetKey(["reconciliation", "comparisons"])


@dg.asset(
    key=RULES_KEY,
    group_name="reconciliation",
    description="reconciliation.rules and reconciliation.settings: the rules of pipeline/reconciliation/rules.yaml, "
    "each with its conditions, tolerance and reasoning.",
    kinds={"duckdb", "yaml"},
    pool="duckdb_writer",
    code_version=versions.asset_code_version(RULES_FILE.read_bytes()),
)
def rules(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    frame, settings = load_rules()
    with warehouse.get_connection() as con:
        con.execute("CREATE SCHEMA IF NOT EXISTS reconciliation")
        replace_table(con, "reconciliation", "rules", frame)
        replace_table(con, "reconciliation", "settings", pd.DataFrame([settings]))
    return dg.MaterializeResult(
        metadata=frame_asset_metadata(
            frame[["rule_id", "cause", "concepts", "tolerance_relative", "tolerance_rounding"]], "reconciliation.rules"
        )
    )


def _warn_of(check_name: str, rows: pd.DataFrame, found: str, column: str, listed: str, **metadata) -> dg.AssetCheckResult:
    """A check that passes where ``rows`` is empty and otherwise warns, naming the first five (``column``) in its
    description and listing all of them in its metadata (``listed``)."""
    if rows.empty:
        return dg.AssetCheckResult(check_name=check_name, passed=True, metadata=metadata)
    return dg.AssetCheckResult(
        check_name=check_name,
        passed=False,
        severity=dg.AssetCheckSeverity.WARN,
        description=f"{len(rows)} {found}: " + "; ".join(rows[column].head(5)),
        metadata={listed: dg.MetadataValue.md(md_table(rows, 100)), **metadata},
    )


def _judge(context, con):
    counts = dict(con.execute("SELECT status, count(*) FROM reconciliation.comparisons GROUP BY status").fetchall())
    unexplained = con.execute(
        "SELECT reference_year AS year, description, explanation FROM reconciliation.comparisons WHERE status = 'unexplained' ORDER BY ALL"
    ).df()
    unusual = con.execute(
        "SELECT city_name || ': ' || description AS description, cause, round(100 * unusual_threshold, 1) AS percentile_threshold_pct "
        "FROM reconciliation.comparisons WHERE unusual ORDER BY ALL"
    ).df()
    summary = ", ".join(f"{counts.get(s, 0)} {s.replace('_', ' ')}"
                        for s in ("consistent", "explained", "concept_difference", "unexplained", "not_comparable"))
    yield _warn_of("no_unexplained_differences", unexplained, "pair(s) differ beyond every rule", "description", "unexplained",
                   summary=summary)
    yield _warn_of("concept_differences_usual", unusual, "difference(s) of concept unusual against all districts", "description",
                   "unusual")


comparisons = sql_asset(
    "reconciliation",
    "comparisons",
    "reconciliation",
    CORE_KNOWN | {("core", "indicators"), ("reconciliation", "rules")},  # reconciliation.settings is written by the rules asset too
    extra_deps=[RULES_KEY],
    check_specs=[
        dg.AssetCheckSpec(
            "no_unexplained_differences",
            asset=COMPARISONS_KEY,
            description="Every difference between two sources is consistent, explained by a rule's stated bound, or a "
            "difference of concept; unexplained pairs warn, listed.",
        ),
        dg.AssetCheckSpec(
            "concept_differences_usual",
            asset=COMPARISONS_KEY,
            description="No difference of concept lies beyond the percentile of rules.yaml's `unusual` among all districts' "
            "pairs of its rule and figure; those that do warn, listed (the district's profile names them too).",
        ),
    ],
    after=_judge,
    preview_order="ORDER BY status = 'unexplained' DESC, reference_year, indicator",
)


PLAUSIBILITY_KEY = dg.AssetKey(["reconciliation", "plausibility"])


def _plausible(context, con):
    doubts = con.execute(
        "SELECT region_name AS city, reference_year AS year, rule, detail FROM reconciliation.plausibility ORDER BY ALL").df()
    yield _warn_of("register_figures_plausible", doubts, "register figure(s) look implausible", "detail", "doubts")


plausibility = sql_asset(
    "reconciliation",
    "plausibility",
    "reconciliation",
    CORE_KNOWN | {("core", "indicators")},
    extra_deps=[RULES_KEY],  # (reads reconciliation.settings, which the rules asset writes)
    check_specs=[
        dg.AssetCheckSpec(
            "register_figures_plausible",
            asset=PLAUSIBILITY_KEY,
            description="Each city register figure changes as the population update does and stays on its usual side of it; "
            "a figure that does not warns, with the reason (the appendix of the city's profile lists it too).",
        )
    ],
    after=_plausible,
)
