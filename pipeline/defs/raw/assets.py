"""Group ``raw``: every raw source read from the publisher's own layout, validated, returned as a tidy frame.

One asset per dataset (see pipeline/sources/), built from every file the manifest lists for it. Each asset
carries two checks shown in the UI: ``manifest`` (each file listed and unchanged since it was registered) and
``schema`` (parsed and valid under the dataset's pandera model). A failure stops the asset before anything is
written, names file, line, column and rule, and leaves the previous output in place.
"""

from collections.abc import Iterator

import dagster as dg
import pandas as pd

from pipeline import versions
from pipeline.defs.markdown import md_table
from pipeline.domain.config import Config, region_key
from pipeline.domain.errors import RawInputError
from pipeline.domain.manifest import check_all
from pipeline.ingest.context import BuildContext
from pipeline.ingest.dataset import Dataset, build_dataset
from pipeline.sources.registry import DATASETS, DATASETS_BY_NAME
from pipeline.validation.explain import validate_dataset

MANIFEST_RULES = {"manifest hash matches", "listed file exists", "file inside raw/", "every dataset has a source"}


def _split(problems: RawInputError) -> tuple[list, list]:
    manifest = [p for p in problems.problems if p.rule in MANIFEST_RULES or p.rule.startswith("manifest")]
    other = [p for p in problems.problems if p not in manifest]
    return manifest, other


def _failure(exc: RawInputError) -> dg.Failure:
    return dg.Failure(
        description=exc.summary(),
        metadata={"problems": dg.MetadataValue.md(exc.as_markdown_table()), "problem_count": len(exc.problems)},
    )


def _city_preview(frame: pd.DataFrame, project: Config) -> pd.DataFrame:
    if "ags" not in frame.columns:
        return frame
    shown = frame[frame["ags"].isin(project.city.region_codes)]
    drop = [c for c in ("source_id", "source_column", "census_basis") if c in shown.columns]
    return (shown if len(shown) else frame).drop(columns=drop)


def raw_asset(dataset: Dataset) -> dg.AssetsDefinition:
    key = dg.AssetKey(["raw", dataset.name])
    model = dataset.model

    @dg.asset(
        key=key,
        group_name="raw",
        description=f"{dataset.title}. {dataset.description}",
        kinds={"pandas", "csv"},
        ins={name: dg.AssetIn(key=dg.AssetKey(["raw", name])) for name in dataset.needs},
        check_specs=[
            dg.AssetCheckSpec("manifest", asset=key, description="Every file is listed in raw/sources.yaml with a matching sha256."),
            dg.AssetCheckSpec(
                "schema",
                asset=key,
                description=f"Parsed from the publisher's layout and valid under pandera model {model.__name__}: "
                f"{(model.__doc__ or '').strip().splitlines()[0]}",
            ),
        ],
        metadata={"pandera_model": model.__name__},
    )
    def _raw(context: dg.AssetExecutionContext, project: dg.ResourceParam[Config], **upstream: pd.DataFrame) -> Iterator:
        try:
            manifest = project.manifest()
            frame, entries = build_dataset(dataset, BuildContext(manifest, dict(upstream), project.cities))
            validated = validate_dataset(dataset, frame, entries)
        except RawInputError as exc:
            manifest_problems, other = _split(exc)
            if manifest_problems:
                yield dg.AssetCheckResult(
                    check_name="manifest",
                    passed=False,
                    description=RawInputError(manifest_problems).summary(limit=5),
                    metadata={"problems": dg.MetadataValue.md(RawInputError(manifest_problems).as_markdown_table())},
                )
            else:
                yield dg.AssetCheckResult(check_name="manifest", passed=True)
            if other:
                yield dg.AssetCheckResult(
                    check_name="schema",
                    passed=False,
                    description=RawInputError(other).summary(limit=5),
                    metadata={"problems": dg.MetadataValue.md(RawInputError(other).as_markdown_table()), "problem_count": len(other)},
                )
            raise _failure(exc) from None
        out = validated.frame
        files = {e.display_name: e.sha256 for e in entries}
        for e in entries:
            if e.extra.get("structure"):
                s = manifest.by_id(str(e.extra["structure"]))
                files[s.display_name] = s.sha256
        context.log.info(f"{dataset.name}: {len(out):,} rows from {', '.join(files)}")
        version = versions.dataset_version(manifest, dataset.name)
        yield dg.Output(
            out,
            # the data version is the dataset's version as `make report` records it (pipeline/versions.py: its manifest
            # entries and its files' hashes): a rebuild from the same files leaves downstream assets fresh, a changed
            # file or entry marks everything downstream (each edition's report included) stale in the UI
            data_version=dg.DataVersion(version[:16]),
            metadata={
                versions.DATASET_VERSION: version,
                "dagster/row_count": len(out),
                "source_files": dg.MetadataValue.json(files),
                "reference_dates": ", ".join(sorted({str(e.reference_date) for e in entries})),
                "published": ", ".join(sorted({e.published for e in entries})),
                "preview": dg.MetadataValue.md(md_table(_city_preview(out, project), 15)),
            },
        )
        yield dg.AssetCheckResult(check_name="manifest", passed=True, metadata={"files": len(files)})
        accepted = validated.accepted
        yield dg.AssetCheckResult(
            check_name="schema",
            passed=True,
            description=(f"valid; {len(accepted)} inconsistencies of the publication accepted in the manifest" if accepted else "valid"),
            metadata={
                "rows": len(out),
                "accepted_inconsistencies": dg.MetadataValue.md("\n".join(f"- {p.describe()}: {a.reason}" for p, a in accepted) or "none"),
            },
        )

    return _raw


@dg.asset(
    key=dg.AssetKey(["raw", "sources_manifest"]),
    group_name="raw",
    description="The sources manifest raw/sources.yaml: publisher, table, dates, licence and sha256 of every raw file.",
    kinds={"yaml"},
    check_specs=[
        dg.AssetCheckSpec(
            "files_listed_and_unchanged",
            asset=dg.AssetKey(["raw", "sources_manifest"]),
            description="Every data file in raw/ is listed, and every listed file exists with its recorded sha256.",
        )
    ],
)
def sources_manifest(context: dg.AssetExecutionContext, project: dg.ResourceParam[Config]) -> Iterator:
    try:
        manifest = project.manifest()
    except RawInputError as exc:
        yield dg.AssetCheckResult(check_name="files_listed_and_unchanged", passed=False, description=exc.problems[0].describe())
        raise _failure(exc) from None
    problems = check_all(manifest)
    if problems:
        exc = RawInputError(problems)
        yield dg.AssetCheckResult(
            check_name="files_listed_and_unchanged",
            passed=False,
            description=problems[0].describe(),
            metadata={"problems": dg.MetadataValue.md(exc.as_markdown_table())},
        )
        raise _failure(exc)
    rows = []
    for e in manifest.entries:
        rows.append(
            {
                "id": e.id,
                "short_name": e.label,
                "file": e.file,
                "dataset": e.dataset,
                "format": e.format,
                "encoding": e.encoding,
                "publisher": e.publisher,
                "database": e.database,
                "level": e.level,
                "concept": e.concept,
                "table_code": e.table_code,
                "title": e.title,
                "title_en": e.title_en,
                "period_start": e.period_start,
                "reference_date": e.reference_date,
                "published": e.published,
                "retrieved": e.retrieved,
                "period": e.period or (DATASETS_BY_NAME[e.dataset].period if e.dataset in DATASETS_BY_NAME else "reference_date"),
                "census_basis": e.census_basis,
                "licence": e.licence,
                "attribution": e.attribution,
                "url": e.url,
                "obtained_from": e.obtained_from,
                "notes": e.notes,
                "sha256": e.sha256,
                "source_line": e.source_line(),
                "city": region_key(e.city) if e.city else "",
            }
        )
    frame = pd.DataFrame(rows)
    version = versions.manifest_version(manifest)
    yield dg.Output(
        frame,
        data_version=dg.DataVersion(version[:16]),
        metadata={
            versions.DATASET_VERSION: version,
            "dagster/row_count": len(frame),
            "preview": dg.MetadataValue.md(md_table(frame[["id", "publisher", "table_code", "reference_date", "licence"]], 30)),
        },
    )
    yield dg.AssetCheckResult(check_name="files_listed_and_unchanged", passed=True, metadata={"files": len(frame)})


raw_assets = [raw_asset(d) for d in DATASETS]
