"""Group ``report``: the City Migration Profile, one partition per district and edition (pipeline/defs/partitions.py).

One asset per table, figure and text of the document (pipeline/report/parts/), each writing its Markdown or SVG
into the profile's build folder, report/_build/<district key>-<edition>/_generated/; the variables the document prints
(_variables.yml); the sources and data-gaps lists, which collect what the parts used and missed. These are written
by one step, the multi-asset ``report_contents`` (each still its own asset, with its own metadata, and selectable
alone), which computes the edition's facts once from the marts for all of them. Then ``report/profile`` renders
the Quarto project to PDF and HTML in report/_output/.

Every asset's upstream assets are the marts its code reads, taken from the same declaration the code runs by
(``PartSpec.reads``): nothing here names a mart.
"""

import datetime as dt
import json
from collections.abc import Iterator

import dagster as dg

from pipeline.defs.partitions import PROFILES, split_key
from pipeline.defs.resources import ReportFolders, Warehouse
from pipeline.domain.config import Config
from pipeline.report import downloads, imprint, revisions
from pipeline.report.context import ReportContext, district_editions
from pipeline.report.gaps import gap_report
from pipeline.report.marts import MartReader
from pipeline.report.parts import APPENDIX_READS, PARTS, VARIABLES_USES, reads_of
from pipeline.report.parts.appendices import data_gaps, sources_list
from pipeline.report.parts.base import Gap
from pipeline.report.parts.variables import build_values, variables
from pipeline.report.render import render

PART_KEYS = [dg.AssetKey(["report", spec.name.replace("-", "_")]) for spec in PARTS]
VARIABLES_KEY = dg.AssetKey(["report", "variables"])
SOURCES_KEY = dg.AssetKey(["report", "sources"])
GAPS_KEY = dg.AssetKey(["report", "data_gaps"])


def mart_keys(marts: tuple[str, ...]) -> list[dg.AssetKey]:
    return [dg.AssetKey(["marts", m]) for m in marts]


def _content_specs() -> list[dg.AssetSpec]:
    # built in a function: a list of specs at module level would be loaded by the defs folder as assets of their own
    return [
        *(
            dg.AssetSpec(
                key=key,
                deps=mart_keys(spec.reads),
                kinds={"markdown" if spec.kind != "figure" else "svg"},
                description=f"The {spec.kind} '{spec.name}' of the profile, written to _generated/{spec.name}.md in the profile's "
                f"build folder, from the marts {', '.join(spec.reads)}.",
                skippable=True,
            )
            for spec, key in zip(PARTS, PART_KEYS, strict=True)
        ),
        dg.AssetSpec(
            VARIABLES_KEY,
            deps=mart_keys(reads_of(VARIABLES_USES)),
            kinds={"yaml"},
            skippable=True,
            description="_variables.yml of the edition: the city, the edition, the date of the newest figure and the build date, "
            "printed by {{< var >}}.",
        ),
        dg.AssetSpec(
            SOURCES_KEY,
            deps=[*PART_KEYS, *mart_keys(APPENDIX_READS)],
            kinds={"markdown"},
            skippable=True,
            description="Section 8, Sources: every source the edition's tables and figures use, from the manifest.",
        ),
        dg.AssetSpec(
            GAPS_KEY,
            deps=[*PART_KEYS, *mart_keys(APPENDIX_READS)],
            kinds={"markdown"},
            skippable=True,
            description="The data-gaps list at the end of the profile: what the edition could not show and the input that would "
            "provide it.",
        ),
    ]


def _preview(markdown: str) -> dg.MetadataValue:
    return dg.MetadataValue.md(markdown[:3000])


@dg.multi_asset(
    name="report_contents",
    specs=_content_specs(),
    group_name="report",
    partitions_def=PROFILES,
    can_subset=True,
    description="Every table, figure and text of one district's edition, its variables, sources and data gaps: one asset "
    "each, written in one step (one read of each mart and one computation of the edition's facts; Dagster's bookkeeping "
    "per step would otherwise cost more than the parts themselves). A district without that edition (marts.editions) "
    "is skipped: nothing is written, and the log says why.",
)
def report_contents(
    context: dg.AssetExecutionContext, warehouse: Warehouse, project: dg.ResourceParam[Config], report_folders: ReportFolders
) -> Iterator[dg.MaterializeResult]:
    selected = context.selected_asset_keys
    city, key = split_key(context.partition_key)
    manifest = project.manifest()
    with warehouse.read_connection() as con:
        marts = MartReader(con)
        own = district_editions(marts, manifest, city)
        edition = next((e for e in own if e.key == key), None)
        if edition is None:
            years = ", ".join(e.key for e in own) or "none"
            context.log.warning(f"district {city} has no edition {key} (its editions: {years}; an edition needs the district's "
                                "Germans and foreigners by age group for that year, marts.editions): nothing to write")
            return
        folder = report_folders.edition(city, key)
        ctx = ReportContext(marts, edition, own, folder, city)
        for spec, asset_key in zip(PARTS, PART_KEYS, strict=True):
            if asset_key not in selected:
                continue
            part = spec.run(ctx)
            path = folder.write_part(spec.name, part.markdown, part.gaps, part.sources, part.chart)
            yield dg.MaterializeResult(
                asset_key=asset_key,
                metadata={
                    "file": str(path),
                    "marts": ", ".join(spec.reads),
                    "sources": ", ".join(sorted(part.sources)) or "none",
                    "gaps": len(part.gaps),
                    "preview": _preview(part.markdown),
                },
            )
        if VARIABLES_KEY in selected:
            values = variables(ctx, ctx.facts_for(VARIABLES_USES, "variables"), dt.date.today())
            path = folder.write_variables(values)
            yield dg.MaterializeResult(asset_key=VARIABLES_KEY, metadata={"file": str(path), "variables": dg.MetadataValue.json(values)})
        if selected & {SOURCES_KEY, GAPS_KEY}:
            recorded, used = folder.read_meta([spec.name for spec in PARTS])  # every part's record, also those of an earlier run
            gaps = [Gap(*g) for g in recorded]
            if SOURCES_KEY in selected:
                part = sources_list(ctx, used)
                folder.write_part("sources", part.markdown, part.gaps, part.sources)
                # the days the cited sources were retrieved, for the imprint (written when the profile is rendered)
                retrieved = ctx.sources.loc[sorted(used & set(ctx.sources.index)), "retrieved"].astype(str).tolist()
                folder.write_part("extraction", imprint.extraction_sentence(retrieved), [], set())
                yield dg.MaterializeResult(asset_key=SOURCES_KEY, metadata={"sources": len(used), "preview": _preview(part.markdown)})
            if GAPS_KEY in selected:
                part = data_gaps(ctx, gaps)
                folder.write_part("data-gaps", part.markdown, part.gaps, part.sources)
                yield dg.MaterializeResult(asset_key=GAPS_KEY, metadata={"gaps": len(gaps), "preview": _preview(part.markdown)})


@dg.asset(
    key=dg.AssetKey(["report", "profile"]),
    group_name="report",
    partitions_def=PROFILES,
    deps=[*PART_KEYS, VARIABLES_KEY, SOURCES_KEY, GAPS_KEY],
    kinds={"pdf", "html", "quarto"},
    description="The profile of one district's edition as PDF and HTML in report/_output/ "
    "(city-migration-profile-<name>-<edition>), rendered with Quarto where it is installed, otherwise along Quarto's "
    "Typst route with pandoc and the typst package.",
)
def profile_document(context: dg.AssetExecutionContext, report_folders: ReportFolders) -> dg.MaterializeResult:
    city, key = split_key(context.partition_key)
    folder = report_folders.edition(city, key)
    if not folder.variables_file.exists():
        raise FileNotFoundError(f"{folder.root} holds no report contents: materialize report_contents for {city}|{key} first "
                                "(or the district has no such edition; see marts.editions)")
    folder.stage()
    today = dt.date.today()
    # the build date printed is the day of rendering, also when only the rendering is redone
    values = folder.read_variables()
    values["build"] = build_values(today)
    folder.write_variables(values)
    published = report_folders.published(values["city"]["name"], key)
    # what this build shows, against what the published build of the edition showed: the revisions since
    parts = {spec.name: folder.part_file(spec.name).read_text(encoding="utf-8") for spec in PARTS if folder.part_file(spec.name).exists()}
    previous = revisions.load(published.figures) if published.pdf.exists() else {}
    figures, found = revisions.record(previous, revisions.snapshot(parts, values.get("headline", {})), today.isoformat())
    folder.write_part("revisions", revisions.markdown(figures["revisions"]), [], set())
    (folder.root / "_generated" / "html-header.html").write_text(
        imprint.html_header(values["data"]["as_of"], today, published.pdf.name), encoding="utf-8")
    extraction = folder.part_file("extraction")
    folder.write_part("imprint", imprint.markdown(imprint.load_publisher(), extraction.read_text(encoding="utf-8").strip()
                                                  if extraction.exists() else "", today, imprint.build_version(),
                                                  (published.workbook.name, published.csv_zip.name)), [], set())
    # the data of every table and figure (workbook, CSV with a data package), published with the PDF and HTML
    data_files, tables = downloads.prepare(folder, published, values)
    written = folder.root / "_output" / "figures.json"
    written.parent.mkdir(exist_ok=True)
    written.write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")
    archive = published.archive(previous.get("built") or "before-" + today.isoformat()) if found else None
    # the maintainer's gap report, published with the profile: what is missing and which input would fill it
    recorded, _ = folder.read_meta([spec.name for spec in PARTS])
    gaps = [Gap(*g) for g in recorded]
    gap_text = gap_report(values["city"]["name"], key, gaps)
    gap_file = folder.root / "_output" / "gaps.md"
    gap_file.write_text(gap_text, encoding="utf-8")
    result = render(folder, published, dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC),
                    extra=((written, published.figures), (gap_file, published.gaps), *data_files), archive=archive,
                    after_html=lambda html: downloads.link(html, tables, published))
    from pypdf import PdfReader  # imported when a PDF is read, not when the definitions load

    text = PdfReader(str(result.pdf)).pages[min(2, result.pages - 1)].extract_text()
    context.log.info(f"{result.pdf} ({result.pages} pages, {result.engine})")
    for warning in result.warnings:
        context.log.warning(warning)
    for r in found:
        context.log.warning(f"revised since the build of {r['since']}: {r['table']}, {r['row']}, {r['column']}: "
                            f"{r['before']} -> {r['after']}")
    return dg.MaterializeResult(
        metadata={
            "pdf": dg.MetadataValue.path(str(result.pdf)),
            "html": dg.MetadataValue.path(str(result.html)),
            "pages": result.pages,
            "rendered_with": result.engine,
            "render_warnings": dg.MetadataValue.json(list(result.warnings)),
            "revisions": dg.MetadataValue.json(found),
            "archived": dg.MetadataValue.path(str(archive)) if archive else "none",
            "gap_report": dg.MetadataValue.path(str(published.gaps)),
            "gaps": dg.MetadataValue.md(gap_text[:3000]),
            "preview": dg.MetadataValue.md("```\n" + text[:2500] + "\n```"),
        }
    )
