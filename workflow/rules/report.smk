# The report: Markdown sections, the self-contained HTML report, the PRISMA 2020
# flow diagram and the figures as SVG, the included studies as RIS and CSV.
# One job: each costs about a second of start-up.

REPORT_SECTIONS = ("methods", "flow", "tables", "studies")


def report_sections():
    return [str(P.report / f"{name}.md") for name in REPORT_SECTIONS]


def figure_files():
    return [str(P.figure(f["name"])) for f in config.get("report", {}).get("figures", [])]


def report_files():
    """Everything the report step writes."""
    return [
        *report_sections(),
        str(P.report_html),
        str(P.included_ris),
        str(P.included_csv),
        *figure_files(),
    ]


rule report:
    priority: 1
    input:
        config=P.config,
        counts=P.counts,
        flow_diagram=P.flow_diagram,
        ledger=P.ledger,
        records=P.records,
        import_report=P.import_report,
        sources=P.dedupe_sources,
        evidence=P.processed / "evidence_log.csv",
        agreement=[str(P.agreement(s)) for s in STAGES],
        stopping=P.stopping,
        templates=template_files(),
    output:
        sections=report_sections(),
        html=P.report_html,
        ris=P.included_ris,
        csv=P.included_csv,
        figures=figure_files(),
    log:
        LOGS / "report.log",
    params:
        cli=CLI,
        code=CODE_VERSION,
        templates=TEMPLATES,
    shell:
        "{params.cli} report --templates {params.templates:q} 2>&1 | tee {log}"
