"""Group ``report``: the City Migration Profile, one partition per district and edition (pipeline/defs/partitions.py).

Two assets per district and edition: ``report/contents`` writes every table, figure and text of the document
(pipeline/report/parts/) as Markdown or SVG into the profile's build folder, report/_build/<district key>-<edition>/
_generated/, with the variables the document prints (_variables.yml) and the sources and data-gaps lists, which
collect what the parts used and missed; ``report/profile`` renders the Quarto project to PDF and HTML in
report/_output/, with its data downloads. (Until issue 31 each part was an asset of its own: 30 assets and about 100
events per profile, more of Dagster's bookkeeping than the parts' own work.)

The contents' upstream assets are the marts the parts read, taken from the declarations the parts are made from
(``REPORT_READS``): nothing here names a mart.
"""

import datetime as dt
import json

import dagster as dg

from pipeline import versions
from pipeline.defs.partitions import PROFILES, split_key
from pipeline.defs.report.batches import BACKFILL_POLICY, PUBLISHED_BY_TAG, each_partition
from pipeline.defs.resources import ReportFolders, Warehouse
from pipeline.domain.config import Config
from pipeline.report import downloads, imprint, revisions
from pipeline.report.context import ReportContext, district_editions
from pipeline.report.gaps import gap_report
from pipeline.report.marts import MartReader
from pipeline.report.parts import PARTS, REPORT_READS
from pipeline.report.parts.appendices import data_gaps, sources_list
from pipeline.report.parts.base import Gap
from pipeline.report.parts.variables import build_values, variables
from pipeline.report.render import render

CONTENTS_KEY = dg.AssetKey(["report", "contents"])
PROFILE_KEY = dg.AssetKey(["report", "profile"])


def _preview(markdown: str) -> dg.MetadataValue:
    return dg.MetadataValue.md(markdown[:3000])


@dg.asset(
    key=CONTENTS_KEY,
    group_name="report",
    partitions_def=PROFILES,
    backfill_policy=BACKFILL_POLICY,
    deps=[dg.AssetKey(["marts", m]) for m in REPORT_READS],
    kinds={"markdown", "svg", "yaml"},
    description="Every table, figure and text of one district's edition (pipeline/report/parts/), its variables, sources "
    "and data-gaps list, written to the profile's build folder, report/_build/<district key>-<edition>/_generated/, from "
    "the edition's facts, computed once from the marts it depends on (each part declares the facts it uses, each fact "
    "the marts it reads). A district without that edition (marts.editions) is skipped: nothing is written, and the log "
    "says why.",
)
def report_contents(
    context: dg.AssetExecutionContext, warehouse: Warehouse, project: dg.ResourceParam[Config], report_folders: ReportFolders
) -> dg.MaterializeResult:
    manifest = project.manifest()
    with warehouse.read_connection() as con:
        marts = MartReader(con)  # one reader for the run's profiles: a mart read whole is read once per batch

        def work(key: str) -> dict | None:
            try:
                return _write_contents(context, marts, manifest, report_folders, key)
            finally:
                marts.forget(split_key(key)[0])  # a district's own rows are not needed by the batch's next profile

        return each_partition(context, work)


def _write_contents(context, marts: MartReader, manifest, report_folders: ReportFolders, partition_key: str) -> dict | None:
    city, key = split_key(partition_key)
    own = district_editions(marts, manifest, city)
    edition = next((e for e in own if e.key == key), None)
    if edition is None:
        years = ", ".join(e.key for e in own) or "none"
        context.log.warning(f"district {city} has no edition {key} (its editions: {years}; an edition needs the district's "
                            "Germans and foreigners by age group for that year, marts.editions): nothing to write")
        return None
    folder = report_folders.edition(city, key)
    ctx = ReportContext(marts, edition, own, folder, city)
    rows, gaps, used, empty = [], [], set(), 0
    for spec in PARTS:
        part = spec.run(ctx)
        folder.write_part(spec.name, part.markdown, part.gaps, part.sources, part.chart)
        gaps += part.gaps
        used |= part.sources
        written = bool(part.markdown.strip())
        empty += not written
        rows.append(f"| {spec.name} | {spec.kind} | {'written' if written else 'empty'} | {len(part.gaps)} |")
    values = variables(ctx, ctx.facts, dt.date.today())
    folder.write_variables(values)
    sources = sources_list(ctx, used)
    folder.write_part("sources", sources.markdown, sources.gaps, sources.sources)
    # the days the cited sources were retrieved, for the imprint (written when the profile is rendered)
    retrieved = ctx.sources.loc[sorted(used & set(ctx.sources.index)), "retrieved"].astype(str).tolist()
    folder.write_part("extraction", imprint.extraction_sentence(retrieved), [], set())
    gap_list = data_gaps(ctx, gaps)
    folder.write_part("data-gaps", gap_list.markdown, gap_list.gaps, gap_list.sources)
    return {
        "folder": dg.MetadataValue.path(str(folder.generated)),
        "parts": len(PARTS),
        "empty_parts": empty,
        "sources": len(used),
        "gaps": len(gaps),
        "parts_table": dg.MetadataValue.md("| part | kind | | gaps |\n|---|---|---|---|\n" + "\n".join(rows)),
        "variables": dg.MetadataValue.json(values),
    }


@dg.asset(
    key=PROFILE_KEY,
    group_name="report",
    partitions_def=PROFILES,
    backfill_policy=BACKFILL_POLICY,
    deps=[CONTENTS_KEY],
    kinds={"pdf", "html", "quarto"},
    description="The profile of one district's edition as PDF and HTML in report/_output/ "
    "(city-migration-profile-<name>-<edition>), rendered with Quarto where it is installed, otherwise along Quarto's "
    "Typst route with pandoc and the typst package.",
)
def profile_document(context: dg.AssetExecutionContext, report_folders: ReportFolders, project: dg.ResourceParam[Config]
                     ) -> dg.MaterializeResult:
    published_by = context.run.tags.get(PUBLISHED_BY_TAG)
    return each_partition(context, lambda key: _already_published(project, report_folders, key, published_by)
                          or _render_profile(context, project, report_folders, key))


def _already_published(project: Config, report_folders: ReportFolders, partition_key: str, run_id: str | None) -> dict | None:
    """In a run that records what a failed run of the same batch published (``PUBLISHED_BY_TAG``): the profile's
    metadata, if that run published it and its files are as it left them; else None (it is rendered)."""
    if not run_id:
        return None
    city, key = split_key(partition_key)
    folder = report_folders.edition(city, key)
    if not folder.variables_file.exists():
        return None
    files = report_folders.published(folder.read_variables()["city"]["name"], key)
    record = versions.read_record(files.record)
    if record.get("run") != run_id or not all(versions.unchanged(record["files"].get(k), f)
                                              for k, f in versions.profile_files(files).items()):
        return None
    return {"pdf": dg.MetadataValue.path(str(files.pdf)), "html": dg.MetadataValue.path(str(files.html)),
            "record": dg.MetadataValue.path(str(files.record)), "published_by_run": run_id}


def _render_profile(context, project: Config, report_folders: ReportFolders, partition_key: str) -> dict:
    city, key = split_key(partition_key)
    folder = report_folders.edition(city, key)
    if not folder.variables_file.exists():
        raise FileNotFoundError(f"{folder.root} holds no report contents: materialize report/contents for {city}|{key} first "
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
    # what it was made from, beside it: `make report` then knows it is up to date, whoever ran this (pipeline/versions.py)
    record = versions.record_profile(project, values, key, run_id=context.run.run_id)
    from pypdf import PdfReader  # imported when a PDF is read, not when the definitions load

    text = PdfReader(str(result.pdf)).pages[min(2, result.pages - 1)].extract_text()
    context.log.info(f"{result.pdf} ({result.pages} pages, {result.engine})")
    for warning in result.warnings:
        context.log.warning(warning)
    for r in found:
        context.log.warning(f"revised since the build of {r['since']}: {r['table']}, {r['row']}, {r['column']}: "
                            f"{r['before']} -> {r['after']}")
    return {
        "pdf": dg.MetadataValue.path(str(result.pdf)),
        "html": dg.MetadataValue.path(str(result.html)),
        "pages": result.pages,
        "rendered_with": result.engine,
        "render_warnings": dg.MetadataValue.json(list(result.warnings)),
        "revisions": dg.MetadataValue.json(found),
        "archived": dg.MetadataValue.path(str(archive)) if archive else "none",
        "gap_report": dg.MetadataValue.path(str(published.gaps)),
        "record": dg.MetadataValue.path(str(record)),
        "gaps": dg.MetadataValue.md(gap_text[:3000]),
        "preview": dg.MetadataValue.md("```\n" + text[:2500] + "\n```"),
    }
