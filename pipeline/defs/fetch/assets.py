"""Group ``fetch``: the publishers' web services (pipeline/fetch/), one asset per service.

Materializing ``fetch/<source>`` fetches, for every table the manifest lists from that service (and whose dataset
reads the service's flat CSV), the year after its newest file, exactly as `python -m pipeline fetch --due --source
<source>` does: "new" files are checked with every rule of the build in a scratch copy of raw/ and only then added
to raw/ and the manifest. Its metadata lists each table with what happened, the address asked (without
credentials), bytes, sha256 and reference date. A table that failed or was kept out fails the asset, naming it and
why; raw/ is unchanged for it (tables of the same service that were fetched before it stay fetched). The job
``fetch_tables`` runs all four; the annual schedule starts it, and the raw-file sensor then sees the new files.
"""

import dagster as dg

from pipeline.defs.markdown import md_table
from pipeline.domain.config import Config
from pipeline.fetch.plan import due, fetch_one
from pipeline.fetch.sources import SOURCES, Source


def _outcomes_table(outcomes) -> dg.MetadataValue:
    import pandas as pd

    rows = [{"table": o.table, "what happened": o.status, "file": o.file, "reference date": str(o.reference_date or ""),
             "bytes": o.size or "", "sha256": o.sha256[:16], "address": o.url, "detail": o.message} for o in outcomes]
    return dg.MetadataValue.md(md_table(pd.DataFrame(rows), 50) if rows else "no table of this service in raw/sources.yaml")


def fetch_asset(src: Source) -> dg.AssetsDefinition:
    @dg.asset(
        key=dg.AssetKey(["fetch", src.name.replace("-", "_")]),
        group_name="fetch",
        kinds={"api"},
        description=f"Fetch the next year of every table raw/ holds from the {src.title} web service ({src.url}); "
        f"credentials from CMP_API_TOKEN_{src.env_name} (or CMP_API_USER_/CMP_API_PASSWORD_{src.env_name}).",
    )
    def _fetch(context: dg.AssetExecutionContext, project: dg.ResourceParam[Config]) -> dg.MaterializeResult:
        outcomes = []
        for wanted in due(project.manifest(), src.name):
            outcome = fetch_one(wanted, project, say=context.log.info)
            context.log.info(outcome.line())
            outcomes.append(outcome)
        bad = [o for o in outcomes if o.status in ("failed", "kept out")]
        new = [o for o in outcomes if o.status == "new"]
        metadata = {
            "tables": _outcomes_table(outcomes),
            "new files": ", ".join(o.file for o in new) or "none",
            "new": len(new),
            "up to date": sum(o.status == "up to date" for o in outcomes),
            "not published yet": sum(o.status == "not published yet" for o in outcomes),
        }
        if bad:
            lines = "\n".join(o.line() + "".join(f"\n    {p}" for p in o.problems) for o in bad)
            raise dg.Failure(description=f"{len(bad)} table(s) from {src.name} failed or were kept out; raw/ is unchanged for them:\n"
                             + lines, metadata=metadata)
        return dg.MaterializeResult(metadata=metadata)

    return _fetch


fetch_assets = [fetch_asset(src) for src in SOURCES.values()]
