"""Generate the embedded demo review (data/raw/) deterministically.

The demo reproduces the method and the published counts of Cook (2015),
"Partnership working across UK public services", appendix 7.2: 31 rounds of
database searches (EBSCO Discovery Service) exported as RIS, BibTeX and CSV,
grey literature from organisations' websites, 5813 records screened at title,
551 kept, 123 after abstracts, 60 peer-reviewed and 11 grey studies included.

The included studies are the real studies of the reference list
(scripts/demo_studies.py). Every other record is generated: realistic, but
invented, with DOIs under Crossref's test prefix 10.5555. Reviewers'
decisions are generated to give the published funnel, with dual screening of
a sample, a few disagreements and their adjudication.

Record ids and clusters come from reviewflow itself (the decision files must
name the ids the pipeline assigns), and the script checks the published
counts before it finishes.

    python scripts/make_demo.py            # writes data/raw/ of this repository
    python scripts/make_demo.py --out DIR  # writes DIR/data/raw/ (and copies config/)
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow"))
sys.path.insert(0, str(ROOT / "scripts"))

import demo_studies as real  # noqa: E402

SEED = 20151201
N_TITLE_SCREENED = 5813
N_TITLE_INCLUDED = 551
N_ABSTRACT_INCLUDED = 123
N_ROUNDS = 31
DATABASE = "EBSCO Discovery Service"
UNDERLYING = [
    ("Academic Search Complete", "a9h"), ("SocINDEX with Full Text", "sih"), ("CINAHL Complete", "ccm"),
    ("MEDLINE", "cmedm"), ("Business Source Complete", "bth"), ("ERIC", "eric"), ("Scopus", "edselc"),
    ("JSTOR Journals", "edsjsr"), ("ScienceDirect", "edselp"), ("Social Sciences Citation Index", "edswss"),
]

# ----------------------------------------------------------------------------------------------
# invented records


TOPICS = [
    "Collaborative learning", "Strategic alliances", "Public-private partnerships", "Research collaboration",
    "Interprofessional collaboration", "Co-operative inquiry", "Network governance", "Joint ventures",
    "Partnership agreements", "Cross-sector alliances", "Collaborative planning", "Inter-organisational networks",
    "Stakeholder engagement", "Community partnerships", "Knowledge exchange partnerships", "Supply chain collaboration",
    "Integrated care pathways", "Multi-agency coordination", "Joint commissioning", "Coalition building",
]
DOMAINS = [
    "primary care", "higher education", "urban regeneration", "child protection", "mental health services", "policing",
    "water management", "tourism development", "school improvement", "housing associations", "disaster response",
    "youth justice", "adult social care", "public health campaigns", "employment services", "waste management",
    "early years services", "drug treatment", "domestic abuse services", "rural development",
    "local economic development", "environmental regulation", "hospital discharge", "community safety",
    "transport planning", "sport development", "older people's services", "homelessness services",
    "neighbourhood renewal", "criminal justice",
]
ABROAD = [
    "Australia", "Canada", "the Netherlands", "Sweden", "New Zealand", "the United States", "Germany", "Denmark",
    "Norway", "Ireland", "South Africa", "India", "Kenya", "Brazil", "China", "Spain", "Italy", "Finland", "Japan",
]
UK = ["England", "Scotland", "Wales", "Northern Ireland", "the UK", "London", "Glasgow"]
DESIGNS = [
    "a qualitative study", "a case study", "lessons from practice", "a systematic review",
    "findings from a national survey", "an evaluation", "a critical commentary", "a realist evaluation",
    "a mixed methods study", "an ethnographic account", "theory and practice", "a comparative analysis",
    "a longitudinal study", "policy and practice",
]
TEMPLATES = [
    "{topic} in {domain} in {place}: {design}",
    "{topic} and {domain} in {place}: {design}",
    "The role of {topic_l} in {domain}: {design} from {place}",
    "Making it work? {topic} in {domain} in {place}",
    "{topic} for {domain} in {place}",
    "What shapes {topic_l} in {domain}? Evidence from {place}",
]
JOURNALS = [
    ("Public Administration", "0033-3298"), ("Public Management Review", "1471-9037"), ("Policy & Politics", "0305-5736"),
    ("Local Government Studies", "0300-3930"), ("Social Policy & Administration", "0144-5596"),
    ("Journal of Social Policy", "0047-2794"), ("Health & Social Care in the Community", "0966-0410"),
    ("Journal of Interprofessional Care", "1356-1820"), ("Journal of Integrated Care", "1476-9018"),
    ("BMC Health Services Research", "1472-6963"), ("Social Science & Medicine", "0277-9536"),
    ("Urban Studies", "0042-0980"), ("Regional Studies", "0034-3404"), ("Children & Society", "0951-0605"),
    ("Child & Family Social Work", "1356-7500"), ("British Journal of Social Work", "0045-3102"),
    ("Policing: An International Journal", "1363-951X"), ("Criminology & Criminal Justice", "1748-8958"),
    ("Journal of Public Health", "1741-3842"), ("Critical Public Health", "0958-1596"),
    ("Environment and Planning C: Government and Policy", "0263-774X"), ("Tourism Management", "0261-5177"),
    ("International Journal of Public Sector Management", "0951-3558"), ("Voluntary Sector Review", "2040-8056"),
    ("Community Development Journal", "0010-3802"), ("Journal of Education Policy", "0268-0939"),
    ("Public Money & Management", "0954-0962"), ("Evaluation", "1356-3890"), ("Health Policy", "0168-8510"),
    ("International Journal of Integrated Care", "1568-4156"), ("Administration & Society", "0095-3997"),
    ("Journal of Public Administration Research and Theory", "1053-1858"), ("Nonprofit and Voluntary Sector Quarterly", "0899-7640"),
    ("Journal of Environmental Management", "0301-4797"), ("Disasters", "0361-3666"), ("Research Policy", "0048-7333"),
]
SURNAMES = """Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts
Green Hall Wood Jackson Clarke Patel Khan Lewis James Phillips Mason Mitchell Rose Davis Rodriguez Cox Alexander Morgan
Moore Martin Young Allen King Scott Hill Baker Harris Turner Cooper Ward Morris Watson Murray Campbell Stewart Anderson
MacLeod Fraser Reid Ross Henderson Hamilton Graham Kerr Ferguson Grant Paterson Docherty McDonald Hughes Owen Price
Lloyd Rees Pritchard Jenkins Kelly Murphy Byrne Doyle McCarthy Gallagher Nguyen Chen Wang Li Zhang Singh Kumar Sharma
Garcia Martinez Lopez Hernandez Gonzalez Muller Schmidt Schneider Fischer Jansen Visser Bakker Andersson Johansson
Karlsson Nielsen Hansen Larsen Olsen Berg Haugen Moreau Dubois Rossi Russo Bianchi Costa Silva Santos Oliveira Okafor
Mensah Otieno Mwangi Tanaka Suzuki Sato Kim Park Lee Cohen Levy Fitzgerald Sullivan Burke Quinn""".split()
INITIALS = "ABCDEFGHIJKLMNPRSTW"
KEYWORDS = [
    "partnership", "collaboration", "public services", "governance", "integration", "evaluation", "multi-agency working",
    "local government", "third sector", "leadership", "performance management", "trust", "networks", "outcomes",
    "policy implementation", "community planning", "health and social care", "joint working", "accountability",
]


@dataclass
class Work:
    """One work (what de-duplication should find as one cluster)."""

    key: str
    title: str
    authors: list[str]
    year: int
    journal: str
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    issn: str = ""
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    language: str = "English"
    kind: str = "JOUR"  # RIS type
    lane: str = "databases"
    fate: str = ""  # title | abstract | fulltext (excluded there) | included | not_retrieved
    reason: str = ""  # exclusion reason code
    accession: str = ""
    underlying: tuple[str, str] = ("", "")
    url: str = ""
    study: real.Study | None = None


def make_abstract(rng: random.Random, topic: str, domain: str, place: str, design: str) -> str:
    n = rng.randint(8, 60)
    who = rng.choice(["managers", "practitioners", "partnership members", "service users", "stakeholders", "staff"])
    method = {
        "a systematic review": f"We searched six databases and included {n} studies",
        "findings from a national survey": f"A national survey of {n * 12} {who} was analysed",
        "a mixed methods study": f"We combined a survey of {n * 6} {who} with {n} interviews",
    }.get(design, f"We conducted {n} semi-structured interviews with {who} and analysed documents")
    finding = rng.choice([
        "trust between partners developed slowly and depended on continuity of staff",
        "clear aims and shared objectives were the strongest predictors of perceived success",
        "competing performance targets undermined joint working",
        "resources and timescales set centrally constrained local flexibility",
        "the voluntary sector was marginalised in strategic decisions",
        "co-location improved communication but not outcomes",
        "leadership and a shared vision were repeatedly described as essential",
    ])
    return (
        f"Background: {topic} is increasingly promoted in {domain}, yet evidence of how it works is limited. "
        f"Methods: {method} in {place}. Results: {finding[0].upper() + finding[1:]}. "
        f"Conclusions: the findings have implications for {domain} policy and for future research on {topic.lower()}."
    )


def invented_works(rng: random.Random, fates: list[tuple[str, str]]) -> list[Work]:
    """One invented work per (fate, reason), each with a distinct (topic, domain, place) triple."""
    triples_abroad = [(t, d, p) for t in TOPICS for d in DOMAINS for p in ABROAD]
    triples_uk = [(t, d, p) for t in TOPICS for d in DOMAINS for p in UK]
    rng.shuffle(triples_abroad)
    rng.shuffle(triples_uk)
    works = []
    for index, (fate, reason) in enumerate(fates):
        # records excluded late look closer to the topic: UK settings and public services
        uk = fate in ("fulltext",) or (fate == "abstract" and rng.random() < 0.6) or (fate == "title" and rng.random() < 0.15)
        if reason == "GEO":
            uk = False
        topic, domain, place = (triples_uk if uk else triples_abroad).pop()
        design = rng.choice(DESIGNS)
        template = rng.choice(TEMPLATES)
        title = template.format(topic=topic, topic_l=topic.lower(), domain=domain, place=place, design=design)
        title = title[0].upper() + title[1:]
        language = "English"
        if reason == "LANG":
            language = rng.choice(["French", "German", "Spanish"])
            title = f"[{title}]"
        journal, issn = rng.choice(JOURNALS)
        year = rng.randint(2000, 2015)
        first = rng.randint(1, 900)
        n_authors = rng.choice([1, 1, 2, 2, 2, 3, 3, 4, 5, 6])
        authors = [f"{rng.choice(SURNAMES)}, {rng.choice(INITIALS)}." + (f" {rng.choice(INITIALS)}." if rng.random() < 0.4 else "")
                   for _ in range(n_authors)]
        has_doi = rng.random() < 0.88
        works.append(
            Work(
                key=f"gen{index:05d}",
                title=title,
                authors=authors,
                year=year,
                journal=journal,
                volume=str(rng.randint(1, 60)),
                issue=str(rng.randint(1, 12)),
                pages=f"{first}-{first + rng.randint(6, 24)}",
                doi=f"10.5555/rf.{year}.{index:05d}" if has_doi else "",
                issn=issn,
                abstract=make_abstract(rng, topic, domain, place, design) if rng.random() < 0.93 else "",
                keywords=rng.sample(KEYWORDS, rng.randint(0, 5)),
                language=language,
                fate=fate,
                reason=reason,
            )
        )
    return works


def real_work(study: real.Study, fate: str, reason: str = "") -> Work:
    grey_kind = "RPRT" if study.literature == "Grey" else "JOUR"
    return Work(
        key=study.key,
        title=study.title,
        authors=list(study.authors),
        year=study.year,
        journal=study.journal,
        volume=study.volume,
        issue=study.issue,
        pages=study.pages,
        doi=study.doi,
        kind=grey_kind,
        lane="other" if study.literature == "Grey" else "databases",
        fate=fate,
        reason=reason,
        keywords=["partnership", "public services"],
        study=study,
    )


# ----------------------------------------------------------------------------------------------
# export writers: what EBSCO Discovery and the grey-literature lists look like


def split_pages(pages: str) -> tuple[str, str]:
    start, _, end = pages.partition("-")
    return start, end


def ris_record(w: Work) -> str:
    lines = [f"TY  - {w.kind}"]
    lines += [f"AU  - {a}" for a in w.authors]
    lines.append(f"TI  - {w.title}")
    if w.kind == "JOUR":
        lines.append(f"T2  - {w.journal}")
    else:
        lines.append(f"PB  - {w.journal}")
    lines.append(f"PY  - {w.year}")
    for tag, value in (("VL", w.volume), ("IS", w.issue)):
        if value:
            lines.append(f"{tag}  - {value}")
    start, end = split_pages(w.pages)
    if start:
        lines.append(f"SP  - {start}")
    if end:
        lines.append(f"EP  - {end}")
    if w.issn:
        lines.append(f"SN  - {w.issn}")
    if w.abstract:
        lines.append(f"AB  - {w.abstract}")
    lines += [f"KW  - {k}" for k in w.keywords]
    if w.doi:
        lines.append(f"DO  - {w.doi}")
    if w.url:
        lines.append(f"UR  - {w.url}")
    if w.underlying[0]:
        lines.append(f"DB  - {w.underlying[0]}")
        lines.append(f"AN  - {w.accession}")
    lines.append(f"LA  - {w.language}")
    lines.append("ER  - ")
    return "\n".join(lines) + "\n\n"


def bib_escape(value: str) -> str:
    value = value.replace("&", r"\&").replace("%", r"\%")
    for word in ("UK", "England", "Scotland", "Wales", "Northern Ireland", "NHS"):
        value = value.replace(word, "{" + word + "}")
    return value


def bibtex_record(w: Work) -> str:
    fields = [
        ("title", bib_escape(w.title)),
        ("author", " and ".join(w.authors)),
        ("journal", bib_escape(w.journal)),
        ("year", str(w.year)),
        ("volume", w.volume),
        ("number", w.issue),
        ("pages", w.pages.replace("-", "--")),
        ("issn", w.issn),
        ("doi", w.doi),
        ("abstract", bib_escape(w.abstract)),
        ("keywords", "; ".join(w.keywords)),
        ("language", w.language),
        ("url", w.url),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@article{{{w.accession},\n{body}\n}}\n\n"


CSV_COLUMNS = [
    "Title", "Authors", "Publication Year", "Source Title", "Volume", "Issue", "Start Page", "End Page", "DOI",
    "Abstract", "Subject Terms", "Language", "ISSN", "URL", "Accession Number", "Database",
]


def csv_row(w: Work) -> list[str]:
    start, end = split_pages(w.pages)
    return [w.title, "; ".join(w.authors), str(w.year), w.journal, w.volume, w.issue, start, end, w.doi, w.abstract,
            "; ".join(w.keywords), w.language, w.issn, w.url, w.accession, w.underlying[0]]


def write_csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


# ----------------------------------------------------------------------------------------------
# the review


def plan_database_lane(rng: random.Random) -> list[Work]:
    peer = [real_work(s, "included") for s in real.PEER_REVIEWED]
    excluded_real = [real_work(real.EXCLUDED_PEER, "fulltext", "NOTEMP")]
    n_fulltext_excluded = N_ABSTRACT_INCLUDED - len(peer)
    ft_reasons = ["NOTEMP"] * 29 + ["NOMETH"] * 11 + ["GEO"] * 7 + ["CIT"] * 6 + ["PPP"] * 5 + ["TOPIC"] * 3 + ["LANG"] * 1
    n_invented_ft = n_fulltext_excluded - len(excluded_real)
    assert len(ft_reasons) == n_invented_ft, len(ft_reasons)
    n_abstract_excluded = N_TITLE_INCLUDED - N_ABSTRACT_INCLUDED
    n_title_excluded = N_TITLE_SCREENED - N_TITLE_INCLUDED
    fates = [("fulltext", r) for r in ft_reasons[: n_invented_ft]]
    fates += [("abstract", rng.choice(["", "", "GEO", "NOTEMP", "TOPIC"])) for _ in range(n_abstract_excluded)]
    fates += [("title", rng.choice(["", "", "", "TOPIC", "GEO", "PPP", "CIT", "LANG"])) for _ in range(n_title_excluded)]
    works = peer + excluded_real + invented_works(rng, fates)
    for n, w in enumerate(works):
        name, code = UNDERLYING[rng.randrange(len(UNDERLYING))]
        w.underlying = (name, code)
        w.accession = f"{code}.{100000 + n * 7919 % 900000}"
        w.url = f"https://search.ebscohost.com/login.aspx?direct=true&db={code}&AN={w.accession.split('.')[1]}&site=eds-live"
    assert len(works) == N_TITLE_SCREENED
    return works


def plan_rounds(rng: random.Random, works: list[Work]) -> dict[int, list[Work]]:
    """Which works each round returns: every work once in its first round, some again later."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(N_ROUNDS)]
    rounds: dict[int, list[Work]] = {r: [] for r in range(1, N_ROUNDS + 1)}
    for w in works:
        first = rng.choices(range(1, N_ROUNDS + 1), weights=weights)[0]
        rounds[first].append(w)
        later = list(range(first + 1, N_ROUNDS + 1))
        repeats = 0
        draw = rng.random()
        if w.study is not None or w.fate in ("fulltext", "abstract"):
            repeats = 1 + (draw < 0.5) + (draw < 0.2)  # relevant work turns up in several searches
        elif draw < 0.16:
            repeats = 1 + (draw < 0.03)
        for r in rng.sample(later, min(repeats, len(later))):
            rounds[r].append(w)
    for r in rounds:
        rng.shuffle(rounds[r])  # relevance order of the database
    return rounds


QUERY_TERMS = {
    "horizontal": ["Partner*", "Collaborat*", "Cooperat*", '"Joint working"', '"Cross sector*"', "Multi-agency",
                   "Inter-agency", "Multi-practitioner", '"Multiple stakeholder"', "Interorganisational"],
    "type": ['"Public sector"', '"Voluntary sector"', '"Community sector"', "Mandated", "Strategic", '"Community planning"'],
    "conditions": ["Effective", "Success", "Barriers", "Outcome", "Performance", "Evaluat*", '"Relational trust"', "Factors"],
}


def query_for(round_number: int) -> str:
    h = QUERY_TERMS["horizontal"][(round_number - 1) % len(QUERY_TERMS["horizontal"])]
    t = QUERY_TERMS["type"][(round_number * 5) % len(QUERY_TERMS["type"])]
    c = QUERY_TERMS["conditions"][(round_number * 3) % len(QUERY_TERMS["conditions"])]
    return f'{h} AND {t} AND {c} AND (UK OR Britain OR England OR Scotland OR Wales OR "Northern Ireland"); 2000-2015; English'


def round_date(round_number: int) -> str:
    day = 2 + (round_number - 1) * 4  # March to July 2015
    month = 3 + day // 31
    return f"2015-{month:02d}-{day % 31 + 1:02d}"


def grey_lane(rng: random.Random, database_works: list[Work]) -> dict[str, list[Work]]:
    """Works found on organisations' websites and by Google, by source."""
    sources: dict[str, list[Work]] = {}
    included = [real_work(s, "included") for s in real.GREY]
    mayne = real_work(real.EXCLUDED_GREY, "fulltext", "NOTEMP")
    for w in [*included, mayne]:
        for place in w.study.found_at:  # type: ignore[union-attr]
            sources.setdefault(place, []).append(w)
    orgs = [
        real.JRF, real.IRISS, real.C4EO, real.SSKS, "Social Policy Research Unit, York University",
        "Institute for the Study of Children, Families & Social Issues",
        "Centre for Health Innovation, Leadership and Learning, University of Nottingham", real.SCIE, real.HSMC, "Demos",
        "Centre for Education and Equity, University of Manchester", "Robert Owen Centre for Educational Change",
        "Association of Directors of Children's Services (ADCS)", "Social Work Scotland",
        "Association of Directors of Adult Services",
    ]
    kinds = ["guidance", "briefing", "practice guide", "annual report", "conference report", "think piece", "evaluation report"]
    reasons = ["NOTEMP"] * 17 + ["NOMETH"] * 6 + ["TOPIC"] * 3 + ["GEO"] * 1 + ["NR"] * 1
    rng.shuffle(reasons)
    uk_triples = [(t, d) for t in TOPICS for d in DOMAINS]
    rng.shuffle(uk_triples)
    for n, reason in enumerate(reasons):
        topic, domain = uk_triples.pop()
        org = orgs[n % len(orgs)]
        kind = kinds[n % len(kinds)]
        year = rng.randint(2003, 2015)
        w = Work(
            key=f"grey{n:03d}",
            title=f"{topic} in {domain}: a {kind}",
            authors=[org] if n % 3 else [f"{rng.choice(SURNAMES)}, {rng.choice(INITIALS)}."],
            year=year,
            journal=org,
            kind="RPRT",
            lane="other",
            fate="not_retrieved" if reason == "NR" else "fulltext",
            reason=reason,
            url=f"https://www.example.org/{org.split()[0].lower()}/publications/{year}/{n:03d}",
        )
        sources.setdefault(org, []).append(w)
        if n == 4:  # the same briefing was listed by two organisations
            sources.setdefault(orgs[(n + 3) % len(orgs)], []).append(w)
    # Google also returned journal articles the database searches had already found
    for w in [w for w in database_works if w.fate == "title" and w.doi][:2]:
        sources.setdefault(real.GOOGLE, []).append(w)
    return sources


@dataclass
class ExportFile:
    round: int
    date: str
    source_type: str
    database: str
    query: str
    file: str
    text: str
    works: list[Work]


def database_exports(rounds: dict[int, list[Work]]) -> list[ExportFile]:
    files = []
    for r, works in rounds.items():
        fmt = ("ris", "bib", "csv")[(r - 1) % 3]
        parts = [works] if len(works) <= 320 else [works[: len(works) // 2], works[len(works) // 2 :]]
        for p, part in enumerate(parts, start=1):
            name = f"eds/round{r:02d}" + (f"_part{p}" if len(parts) > 1 else "") + f".{fmt}"
            if fmt == "ris":
                text = "".join(ris_record(w) for w in part)
            elif fmt == "bib":
                text = "".join(bibtex_record(w) for w in part)
            else:
                text = write_csv_text(CSV_COLUMNS, [csv_row(w) for w in part])
            files.append(ExportFile(r, round_date(r), "database", DATABASE, query_for(r), name, text, part))
    return files


GREY_CSV_COLUMNS = ["Title", "Authors", "Year", "Publisher", "Type", "URL"]


def grey_exports(sources: dict[str, list[Work]], round_number: int) -> list[ExportFile]:
    files = []
    for n, (source, works) in enumerate(sorted(sources.items())):
        slug = "".join(ch for ch in source.lower().split("(")[0].split(",")[0] if ch.isalnum() or ch == " ").strip().replace(" ", "_")
        if source == real.GOOGLE:
            source_type, query = "website", 'partnership working "public services" UK evaluation OR review filetype:pdf'
        else:
            source_type, query = "organisation", "publications pages searched for: partnership; collaboration; joint working; multi-agency; integration"
        if n % 2 == 0:
            name = f"grey/{slug}.ris"
            text = "".join(ris_record(w) for w in works)
        else:
            name = f"grey/{slug}.csv"
            rows = [[w.title, "; ".join(w.authors), str(w.year), w.journal, "Report" if w.kind == "RPRT" else "Journal article",
                     w.url or (f"https://doi.org/{w.doi}" if w.doi else "")] for w in works]
            text = write_csv_text(GREY_CSV_COLUMNS, rows)
        files.append(ExportFile(round_number, "2015-07-20", source_type, source, query, name, text, works))
    return files


# ----------------------------------------------------------------------------------------------
# decisions


@dataclass
class Decision:
    record_id: str
    decision: str
    reason: str = ""
    note: str = ""


def decide(
    rng: random.Random,
    stage: dict,
    works: list[Work],
    passes: dict[str, bool],
    reason_of: dict[str, str],
    cluster_of_work: dict[str, str],
    other_ids: dict[str, list[str]],
    n_conflicts: int,
    full_text: bool,
) -> dict[str, list[Decision]]:
    """Every reviewer's decisions at one stage, and the adjudication of their disagreements."""
    from reviewflow.screening import assigned_reviewers

    files: dict[str, list[Decision]] = {r: [] for r in stage["reviewers"]}
    files["adjudication"] = []
    doubles = [w for w in works if len(assigned_reviewers(stage, cluster_of_work[w.key])) > 1]
    conflicted = set(w.key for w in rng.sample(doubles, n_conflicts))
    reasons = ["NOTEMP", "NOMETH", "TOPIC", "GEO"]
    for w in works:
        cluster = cluster_of_work[w.key]
        right = Decision(cluster, "include" if passes[w.key] else "exclude", reason_of.get(w.key, "") if not passes[w.key] else "")
        if not passes[w.key] and full_text and not right.reason:
            right.reason = "NOTEMP"
        assigned = assigned_reviewers(stage, cluster)
        for position, reviewer in enumerate(assigned):
            mine = Decision(right.record_id, right.decision, right.reason)
            if w.key in conflicted and position == (hash_bit(w.key)):
                if full_text and right.decision == "exclude" and rng.random() < 0.5:
                    mine.reason = next(r for r in reasons if r != right.reason)  # same decision, another reason
                else:
                    mine.decision = "exclude" if right.decision == "include" else "include"
                    mine.reason = "TOPIC" if mine.decision == "exclude" and (full_text or rng.random() < 0.5) else ""
            elif not full_text and mine.decision == "include" and rng.random() < 0.08:
                mine.decision = "maybe"  # possibly relevant: passes to the next stage
            if mine.decision == "exclude" and not full_text and rng.random() < 0.6:
                mine.reason = ""  # reasons are optional before full text
            # a reviewer sometimes names another copy of the work (an earlier worksheet showed it)
            if other_ids.get(w.key) and rng.random() < 0.05:
                mine.record_id = other_ids[w.key][0]
            if rng.random() < 0.03:
                mine.note = rng.choice(["check full text", "borderline: UK data reported separately?", "review paper", "commentary"])
            files[reviewer].append(mine)
        if w.key in conflicted:
            files["adjudication"].append(Decision(right.record_id, right.decision, right.reason, "settled at team meeting"))
    return files


def hash_bit(key: str) -> int:
    return sum(map(ord, key)) % 2


def capitalise_some(rng: random.Random, decision: str) -> str:
    """People type Include, INCLUDE or include."""
    draw = rng.random()
    if draw < 0.1:
        return decision.capitalize()
    return decision


# ----------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT, help="the review folder to write (default: this repository)")
    args = parser.parse_args(argv)
    out: Path = args.out
    raw = out / "data" / "raw"
    if out.resolve() != ROOT.resolve():
        shutil.copytree(ROOT / "config", out / "config", dirs_exist_ok=True)
    for folder in (raw / "searches", raw / "decisions"):
        if folder.exists():
            shutil.rmtree(folder)
    rng = random.Random(SEED)

    database_works = plan_database_lane(rng)
    rounds = plan_rounds(rng, database_works)
    files = database_exports(rounds)
    sources = grey_lane(rng, database_works)
    files += grey_exports(sources, N_ROUNDS + 1)

    for f in files:
        path = raw / "searches" / f.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f.text, encoding="utf-8", newline="\n")
    log_rows = [[str(f.round), f.date, f.source_type, f.database, f.query, f.file, str(len(f.works))] for f in files]
    (raw / "searches.csv").write_text(
        write_csv_text(["round", "date", "source_type", "database", "query", "file", "reported_hits"], log_rows),
        encoding="utf-8",
    )

    # ids and clusters as reviewflow assigns them
    from reviewflow.config import load_config
    from reviewflow.dedupe import find_duplicates
    from reviewflow.importers.collect import import_searches
    from reviewflow.searchlog import read_search_log

    config = load_config(out / "config" / "config.yaml")
    log = read_search_log(raw / "searches.csv", raw / "searches")
    records, _ = import_searches(log, raw / "searches")
    clusters = find_duplicates(records).clusters
    cluster_of_record = dict(zip(clusters["record_id"], clusters["cluster_id"], strict=True))
    by_file = {f.file: f for f in files}
    record_work: dict[str, Work] = {}
    for rid, source_file, index in zip(records["record_id"], records["source_file"], records["source_index"], strict=True):
        record_work[rid] = by_file[source_file].works[int(index) - 1]
    cluster_of_work: dict[str, str] = {}
    other_ids: dict[str, list[str]] = {}
    for rid, w in record_work.items():
        cluster = cluster_of_record[rid]
        if cluster_of_work.setdefault(w.key, cluster) != cluster:
            raise SystemExit(f"de-duplication split the work {w.key}: {cluster_of_work[w.key]} and {cluster}")
        if rid != cluster:
            other_ids.setdefault(w.key, []).append(rid)
    works_by_cluster: dict[str, set[str]] = {}
    for w_key, cluster in cluster_of_work.items():
        works_by_cluster.setdefault(cluster, set()).add(w_key)
    merged = {c: ws for c, ws in works_by_cluster.items() if len(ws) > 1}
    if merged:
        raise SystemExit(f"de-duplication merged distinct works: {list(merged.items())[:3]}")

    all_works = {w.key: w for w in record_work.values()}
    order = {c: i for i, c in enumerate(dict.fromkeys(clusters["cluster_id"]))}
    ordered = sorted(all_works.values(), key=lambda w: order[cluster_of_work[w.key]])
    stages = {s["name"]: s for s in config["stages"]}
    db = [w for w in ordered if w.lane == "databases"]
    title_pass = {w.key: w.fate not in ("title",) for w in db}
    abstract_works = [w for w in db if title_pass[w.key]]
    abstract_pass = {w.key: w.fate not in ("abstract",) for w in abstract_works}
    ft_works = [w for w in abstract_works if abstract_pass[w.key]] + [w for w in ordered if w.lane == "other"]
    ft_works.sort(key=lambda w: order[cluster_of_work[w.key]])
    ft_pass = {w.key: w.fate == "included" for w in ft_works}
    reason_of = {w.key: w.reason for w in all_works.values()}

    decisions = {
        "title": decide(rng, stages["title"], db, title_pass, reason_of, cluster_of_work, other_ids, 14, False),
        "abstract": decide(rng, stages["abstract"], abstract_works, abstract_pass, reason_of, cluster_of_work, other_ids, 5, False),
        "fulltext": decide(rng, stages["fulltext"], ft_works, ft_pass, reason_of, cluster_of_work, other_ids, 4, True),
    }
    for stage_name, per_reviewer in decisions.items():
        for reviewer, rows in per_reviewer.items():
            path = raw / "decisions" / stage_name / f"{reviewer}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                write_csv_text(["record_id", "decision", "reason", "note"],
                               [[d.record_id, capitalise_some(rng, d.decision), d.reason, d.note] for d in rows]),
                encoding="utf-8",
            )

    write_evidence_log(raw / "evidence_log.csv", cluster_of_work, rng)
    check(out)
    n_records = len(records)
    print(f"demo written to {raw}: {len(files)} export files, {n_records} records, {len(order)} works")
    return 0


def reference(s: real.Study) -> str:
    authors = ", ".join(s.authors)
    if s.literature == "Grey":
        return f"{authors} ({s.year}) {s.title}. {s.journal}."
    volume = f", {s.volume}" if s.volume else ""
    issue = f"({s.issue})" if s.issue else ""
    pages = f", {s.pages}" if s.pages else ""
    return f"{authors} ({s.year}) {s.title}. {s.journal}{volume}{issue}{pages}."


def write_evidence_log(path: Path, cluster_of_work: dict[str, str], rng: random.Random) -> None:
    from reviewflow.config import load_config

    config = load_config(ROOT / "config" / "config.yaml")
    features = [
        v["value"] for f in config["evidence_log"]["fields"] if f["name"] == "features" for v in f["values"]
        if v["value"] not in real.SINGLE_STUDY_FEATURES.values()
    ]
    header = ["record_id", "reference", "literature", "nation", "sector", "evidence_type", "questions", "terms", "features",
              "methods_articulated"]
    rows = []
    for s in sorted([*real.PEER_REVIEWED, *real.GREY], key=lambda s: (s.authors[0], s.year)):
        questions = [q for q in ("Q1", "Q2") if s.key in real.OTHER_QUESTIONS[q]]
        if s.key not in real.NOT_Q3:
            questions.append("Q3")
        questions += [q for q in ("Q4", "Q5") if s.key in real.OTHER_QUESTIONS[q]]
        terms_pool = real.TERMS_BY_SECTOR[s.sector]
        terms = [terms_pool[0]] + [t for t in terms_pool[1:] if rng.random() < 0.6]
        chosen: list[str] = []
        if "Q3" in questions:
            chosen = rng.sample(features, rng.randint(2, 5))
            if s.key in real.SINGLE_STUDY_FEATURES:
                chosen.append(real.SINGLE_STUDY_FEATURES[s.key])
        rows.append([cluster_of_work[s.key], reference(s), s.literature, s.nation, s.sector, s.evidence_type,
                     "; ".join(questions), "; ".join(terms), "; ".join(chosen), "Yes"])
    path.write_text(write_csv_text(header, rows), encoding="utf-8")


def check(out: Path) -> None:
    """The published counts, computed by reviewflow from the files just written."""
    from reviewflow.pipeline import derive

    derived = derive(out)
    config, counts = derived.config, derived.counts
    wrong = {k: (counts.get(k), v) for k, v in config["expected_counts"].items() if counts.get(k) != v}
    if wrong:
        raise SystemExit(f"the demo does not reproduce the published counts: {wrong}")
    print("counts:", {k: counts[k] for k in ("database_results", "duplicates", "records_screened", "title_included",
                                              "abstract_included", "dbr_assessed", "other_sought_reports", "new_studies")})
    print("margins:", Counter(s.literature for s in [*real.PEER_REVIEWED, *real.GREY]))


if __name__ == "__main__":
    sys.exit(main())
