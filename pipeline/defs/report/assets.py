"""Group ``report``: the City Migration Profile, one partition per edition.

One asset per table, figure and text of the document (pipeline/report/parts.py), each writing its Markdown or SVG
into the edition's build folder, report/_build/<city>-<edition>/_generated/; the variables the document prints
(_variables.yml); the sources and data-gaps lists, which collect what the parts used and missed. These are written
by one step, the multi-asset ``report_contents`` (each still its own asset, with its own metadata, and selectable
alone). Then ``report/profile`` renders the Quarto project to PDF and HTML in report/_output/.
"""

import datetime as dt
from collections.abc import Iterator

import dagster as dg
import yaml

from pipeline.defs.partitions import EDITIONS, edition_key
from pipeline.report import fmt
from pipeline.report.context import ReportContext
from pipeline.report.editions import edition as edition_of
from pipeline.report.editions import editions
from pipeline.report.parts import PARTS, data_gaps, read_meta, sources_list, variables, write_part
from pipeline.report.paths import document_name
from pipeline.report.render import render, stage
from pipeline.resources import ProfileSettings, RawSources, Warehouse


MART_KEYS = {m: dg.AssetKey(["marts", m]) for spec in PARTS for m in spec.marts}
PART_KEYS = [dg.AssetKey(["report", spec.name.replace("-", "_")]) for spec in PARTS]
WAREHOUSE_DEPS = [dg.AssetKey(["core", "profile_cities"]), dg.AssetKey(["staging", "sources"]), dg.AssetKey(["core", "indicators"])]


def _context(context: dg.AssetExecutionContext, con, raw_sources: RawSources, profile: ProfileSettings) -> ReportContext:
    manifest = raw_sources.manifest()
    key = edition_key(context.partition_key)
    folder = profile.edition_folder(key)
    return ReportContext(con, edition_of(manifest, int(key)), folder / "_generated", editions(manifest), profile.city_ags)


VARIABLES_KEY = dg.AssetKey(["report", "variables"])
SOURCES_KEY = dg.AssetKey(["report", "sources"])
GAPS_KEY = dg.AssetKey(["report", "data_gaps"])


def _part_spec(spec) -> dg.AssetSpec:
    deps = [MART_KEYS[m] for m in spec.marts] + WAREHOUSE_DEPS
    if spec.name == "reconciliation":
        deps.append(dg.AssetKey(["reconciliation", "comparisons"]))
    return dg.AssetSpec(
        key=dg.AssetKey(["report", spec.name.replace("-", "_")]),
        deps=deps,
        kinds={"markdown" if spec.kind != "figure" else "svg"},
        description=f"The {spec.kind} '{spec.name}' of the profile, written to _generated/{spec.name}.md in the edition's build folder.",
    )


def _content_specs() -> list[dg.AssetSpec]:
    # built in a function: a list of specs at module level would be loaded by the defs folder as assets of their own
    return [
        *(_part_spec(spec) for spec in PARTS),
        dg.AssetSpec(VARIABLES_KEY, deps=WAREHOUSE_DEPS, kinds={"yaml"},
                     description="_variables.yml of the edition: the city, the edition, the date of the newest figure and the build date, printed by {{< var >}}."),
        dg.AssetSpec(SOURCES_KEY, deps=PART_KEYS, kinds={"markdown"},
                     description="Section 8, Sources: every source the edition's tables and figures use, from the manifest."),
        dg.AssetSpec(GAPS_KEY, deps=PART_KEYS, kinds={"markdown"},
                     description="The data-gaps list at the end of the profile: what the edition could not show and the input that would provide it."),
    ]


@dg.multi_asset(
    name="report_contents",
    specs=_content_specs(),
    group_name="report",
    partitions_def=EDITIONS,
    can_subset=True,
    description="Every table, figure and text of one edition, its variables, sources and data gaps: one asset each, "
    "written in one step (one read of the warehouse; Dagster's bookkeeping per step would otherwise cost more than the "
    "parts themselves).",
)
def report_contents(context: dg.AssetExecutionContext, warehouse: Warehouse, raw_sources: RawSources, profile: ProfileSettings) -> Iterator[dg.MaterializeResult]:
    selected = context.selected_asset_keys
    with warehouse.read_connection() as con:
        ctx = _context(context, con, raw_sources, profile)
        for spec, key in zip(PARTS, PART_KEYS):
            if key not in selected:
                continue
            part = spec.build(ctx)
            write_part(ctx, spec.name, part)
            yield dg.MaterializeResult(asset_key=key, metadata={
                "file": str(ctx.out_dir / f"{spec.name}.md"),
                "sources": ", ".join(sorted(part.sources)) or "none",
                "gaps": len(part.gaps),
                "preview": dg.MetadataValue.md(part.markdown[:3000]),
            })
        if VARIABLES_KEY in selected:
            values = variables(ctx, dt.date.today())
            path = ctx.out_dir.parent / "_variables.yml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
            yield dg.MaterializeResult(asset_key=VARIABLES_KEY, metadata={"file": str(path), "variables": dg.MetadataValue.json(values)})
        if selected & {SOURCES_KEY, GAPS_KEY}:
            gaps, used = read_meta(ctx)  # from every part's record, also those written by an earlier run
            if SOURCES_KEY in selected:
                part = sources_list(ctx, used)
                write_part(ctx, "sources", part)
                yield dg.MaterializeResult(asset_key=SOURCES_KEY, metadata={"sources": len(used), "preview": dg.MetadataValue.md(part.markdown[:3000])})
            if GAPS_KEY in selected:
                part = data_gaps(ctx, gaps)
                write_part(ctx, "data-gaps", part)
                yield dg.MaterializeResult(asset_key=GAPS_KEY, metadata={"gaps": len(gaps), "preview": dg.MetadataValue.md(part.markdown[:3000])})


@dg.asset(
    key=dg.AssetKey(["report", "profile"]),
    group_name="report",
    partitions_def=EDITIONS,
    deps=[*PART_KEYS, VARIABLES_KEY, SOURCES_KEY, GAPS_KEY],
    kinds={"pdf", "html", "quarto"},
    description="The City Migration Profile of the edition as PDF and HTML in report/_output/, rendered with Quarto where "
    "it is installed, otherwise along Quarto's Typst route with pandoc and the typst package.",
)
def profile_document(context: dg.AssetExecutionContext, profile: ProfileSettings) -> dg.MaterializeResult:
    key = edition_key(context.partition_key)
    folder = profile.edition_folder(key)
    stage(folder)
    today = dt.date.today()
    # the build date printed is the day of rendering, also when only the rendering is redone
    variables_file = folder / "_variables.yml"
    values = yaml.safe_load(variables_file.read_text(encoding="utf-8"))
    values["build"] = {"date": fmt.date(today)}
    variables_file.write_text(yaml.safe_dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
    name = document_name(profile.city_name, key)
    result = render(folder, name, profile.output_dir, dt.datetime(today.year, today.month, today.day, tzinfo=dt.timezone.utc))
    from pypdf import PdfReader  # imported when a PDF is read, not when the definitions load

    text = PdfReader(str(result.pdf)).pages[min(2, result.pages - 1)].extract_text()
    context.log.info(f"{result.pdf} ({result.pages} pages, {result.engine})")
    return dg.MaterializeResult(
        metadata={
            "pdf": dg.MetadataValue.path(str(result.pdf)),
            "html": dg.MetadataValue.path(str(result.html)),
            "pages": result.pages,
            "rendered_with": result.engine,
            "preview": dg.MetadataValue.md("```\n" + text[:2500] + "\n```"),
        }
    )
