"""The real studies of the reference review (Cook 2015, section 7.5), for the demo.

Bibliographic details follow the reference list as printed. The coding
(nation, sector, type of evidence) is constructed so that the margins equal
the three published distribution tables of appendix 7.2; the review does not
publish study-level coding, so individual codes are plausible, not sourced.
"""

from __future__ import annotations

from dataclasses import dataclass, field

IJPSM = "International Journal of Public Sector Management"
HSCC = "Health & Social Care in the Community"
SPA = "Social Policy & Administration"
PMR = "Public Management Review"
LGS = "Local Government Studies"
IJIC = "International Journal of Integrated Care"
JIC = "Journal of Integrated Care"
JIPC = "Journal of Interprofessional Care"


@dataclass(frozen=True)
class Study:
    key: str
    authors: tuple[str, ...]
    year: int
    title: str
    journal: str  # the publisher or series for grey literature
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    literature: str = "Peer reviewed"
    nation: str = ""
    sector: str = ""
    evidence_type: str = ""
    found_at: tuple[str, ...] = field(default_factory=tuple)  # grey: where the report was found


def peer(key, authors, year, title, journal, volume, issue, pages, nation, sector, etype, doi=""):  # noqa: ANN001, ANN201
    return Study(key, tuple(authors), year, title, journal, str(volume), str(issue), pages, doi, "Peer reviewed", nation, sector, etype)


def grey(key, authors, year, title, publisher, nation, sector, etype, found_at):  # noqa: ANN001, ANN201
    return Study(key, tuple(authors), year, title, publisher, literature="Grey", nation=nation, sector=sector,
                 evidence_type=etype, found_at=tuple(found_at))


EN, SC, WA, NI, CN, NS = "England", "Scotland", "Wales", "Northern Ireland", "Cross national", "Not specified"
CH, CS, LA, XS, EM, ENV, HSC, PH, TO = (
    "Children", "Community safety", "Local area", "Cross sector", "Employment", "Environment",
    "Health and social care", "Public health", "Tourism",
)
QL, QN, MM, RV = "Qualitative", "Quantitative", "Mixed Method", "Review"

PEER_REVIEWED: tuple[Study, ...] = (
    peer("armistead2004", ["Armistead, C.", "Pettigrew, P."], 2004, "Effective partnerships: building a sub-regional network of reflective practitioners", IJPSM, 17, 7, "571-585", NS, PH, QL),
    peer("barton2013", ["Barton, H.", "Valero-Silva, N."], 2013, "Policing in partnership: a case study in crime prevention", IJPSM, 26, 7, "543-553", EN, CS, QL),
    peer("beech2013", ["Beech, R.", "Henderson, C.", "Ashby, S.", "Dickinson, A.", "Sheaff, R.", "Windle, K.", "Wistow, G.", "Knapp, M."], 2013, "Does integrated governance lead to integrated patient care? Findings from the innovation forum", HSCC, 21, 6, "598-605", EN, HSC, MM),
    peer("best2010", ["Best, D.", "Walker, D.", "Aston, E.", "Pegrem, C.", "O'Donnell, G."], 2010, "Assessing the impact of a high-intensity partnership between the police and drug treatment service in addressing the offending of problematic drug users", "Policing and Society", 20, 3, "358-369", EN, CS, QN),
    peer("cameron2013", ["Cameron, A.", "Lart, R.", "Bostock, L.", "Coomber, C."], 2013, "Factors that promote and hinder joint and integrated working between health and social care services: a review of research literature", HSCC, 22, 3, "225-233", CN, HSC, RV, doi="10.1111/hsc.12057"),
    peer("carley2010", ["Carley, M."], 2010, "Urban partnerships, governance and the regeneration of Britain's cities", "International Planning Studies", 5, 3, "273-297", CN, LA, QL),
    peer("cemlyn2005", ["Cemlyn, S.", "Fahmy, E.", "Gordon, D."], 2005, "Poverty, neighbourhood renewal and the voluntary and community sector in West Cornwall", "Community Development Journal", 40, 1, "76-85", EN, LA, QL),
    peer("cole2005", ["Cole, M.", "Cotterill, L."], 2005, "UK Health Action Zones: political accountability and political marketing - perspectives from the South West", "Urban Studies", 42, 3, "397-416", EN, PH, QL),
    peer("collins2012", ["Collins, F.", "McCray, J."], 2012, "Partnership working in services for children: use of the common assessment framework", JIPC, 26, 2, "134-140", EN, CH, QL),
    peer("corcoran2012", ["Corcoran, M.", "Fox, C."], 2012, "A seamless partnership? Developing mixed economy interventions in a non-custodial project for women", "Criminology & Criminal Justice", 13, 3, "336-353", EN, CS, QL),
    peer("currie2008", ["Currie, G.", "Finn, R.", "Martin, G."], 2008, "Accounting for the 'dark side' of new organizational forms: the case of healthcare professionals", "Human Relations", 61, 4, "539-564", NS, HSC, QL),
    peer("devine2011", ["Devine, A.", "Boyle, E.", "Boyd, S."], 2011, "Towards a theory of collaborative advantage for the sports tourism policy arena", IJPSM, 24, 1, "23-41", NI, TO, QL),
    peer("dickinson2010", ["Dickinson, H.", "Glasby, J."], 2010, "'Why partnership working doesn't work': pitfalls, problems and possibilities in English health and social care", PMR, 12, 6, "811-828", EN, HSC, QL),
    peer("dowling2004", ["Dowling, B.", "Powell, M.", "Glendinning, C."], 2004, "Conceptualising successful partnerships", HSCC, 12, 4, "309-317", CN, HSC, RV),
    peer("ellis2007", ["Ellis, E.", "Fortune, J.", "Peters, G."], 2007, "Partnership problems: analysis and re-design", "Crime Prevention and Community Safety", 9, 1, "34-51", EN, CS, QL),
    peer("elston2002", ["Elston, J.", "Fulop, N."], 2002, "Perceptions of partnership: a documentary analysis of Health Improvement Programmes", "Public Health", 116, 4, "207-213", EN, PH, QL),
    peer("evans2000", ["Evans, D.", "Killoran, A."], 2000, "Tackling health inequalities through partnership working: learning from a realistic evaluation", "Critical Public Health", 10, 2, "125-140", EN, PH, MM),
    peer("freeman2006", ["Freeman, T.", "Peck, E."], 2006, "Evaluating partnerships: a case study of integrated specialist mental health services", HSCC, 14, 5, "408-417", EN, HSC, MM),
    peer("gleave2010", ["Gleave, R.", "Wong, I.", "Porteus, J.", "Harding, E."], 2010, "What is 'more integration' between health and social care? Results of a survey of primary care trusts and directors of adult social care in England", JIC, 18, 5, "29-44", EN, HSC, QN),
    peer("greasley2008", ["Greasley, K.", "Watson, P.", "Patel, S."], 2008, "The formation of public-public partnerships: a case study examination of collaboration on a 'back to work' initiative", IJPSM, 21, 3, "305-313", EN, EM, QL),
    peer("harvie2011", ["Harvie, P.", "Manzi, T."], 2011, "Interpreting multi-agency partnerships: ideology, discourse and domestic violence", "Social & Legal Studies", 20, 1, "79-95", EN, CS, QL),
    peer("hayes2012", ["Hayes, S. L.", "Mann, M. K.", "Morgan, F. M.", "Kelly, M. J.", "Weightman, A. L."], 2012, "Collaboration between local health and local government agencies for health improvement", "Cochrane Database of Systematic Reviews", "", 10, "CD007825", CN, PH, RV, doi="10.1002/14651858.CD007825.pub6"),
    peer("haynes2013", ["Haynes, G.", "Lynch, S."], 2013, "Local partnerships: blowing in the wind of national policy changes", "British Educational Research Journal", 39, 3, "425-446", EN, CH, QL),
    peer("heenan2006", ["Heenan, D.", "Birrell, D."], 2006, "The integration of health and social care: the lessons from Northern Ireland", SPA, 40, 1, "47-66", NI, HSC, QL),
    peer("huby2005", ["Huby, G.", "Rees, G."], 2005, "The effectiveness of quality improvement tools: joint working in integrated community teams", "International Journal for Quality in Health Care", 17, 1, "53-58", NS, HSC, QL),
    peer("hunter2012", ["Hunter, D.", "Perkins, N."], 2012, "Partnership working in public health: the implications for governance of a systems approach", "Journal of Health Services Research & Policy", 17, "Suppl 2", "45-52", EN, PH, QL),
    peer("huxham2000", ["Huxham, C.", "Vangen, S."], 2000, "Ambiguity, complexity and dynamics in the membership of collaboration", "Human Relations", 53, 6, "771-806", NS, LA, QL),
    peer("kaehne2013", ["Kaehne, A."], 2013, "Partnerships in local government: the case of transition support services for young people with learning disabilities", PMR, 15, 5, "611-632", WA, CH, QL),
    peer("kelman2013", ["Kelman, S.", "Hong, S.", "Turbitt, I."], 2013, "Are there managerial practices associated with the outcomes of an interagency service delivery collaboration? Evidence from British crime and disorder reduction partnerships", "Journal of Public Administration Research and Theory", 23, 3, "609-630", CN, CS, QN),
    peer("lamie2010", ["Lamie, J.", "Ball, R."], 2010, "Evaluation of partnership working within a community planning context", LGS, 36, 1, "109-127", SC, LA, QL),
    peer("lawless2013", ["Lawless, P.", "Beatty, C."], 2013, "Exploring change in local regeneration areas: evidence from the New Deal for Communities programme in England", "Urban Studies", 50, 5, "942-958", EN, LA, MM),
    peer("lester2008", ["Lester, H.", "Birchwood, M.", "Tait, L.", "Shah, S.", "England, E.", "Smith, J."], 2008, "Barriers and facilitators to partnership working between early intervention services and the voluntary and community sector", HSCC, 16, 5, "493-500", EN, HSC, QL),
    peer("lindsay2008", ["Lindsay, C.", "McQuaid, R. W.", "Dutton, M."], 2008, "Inter-agency cooperation and new approaches to employability", SPA, 42, 7, "715-732", EN, EM, MM),
    peer("ling2012", ["Ling, T.", "Brereton, L.", "Conklin, A.", "Newbould, J.", "Roland, M."], 2012, "Barriers and facilitators to integrating care: experiences from the English Integrated Care Pilots", IJIC, 12, "", "e129", EN, HSC, MM),
    peer("lunts2012", ["Lunts, P."], 2012, "Change management in integrated care: what helps and hinders middle managers - a case study", JIC, 20, 4, "246-256", NS, HSC, QL),
    peer("mann2004", ["Mann, P.", "Pritchard, S.", "Rummery, K."], 2004, "Supporting inter-organizational partnerships in the public sector", PMR, 6, 3, "417-439", NS, LA, QL),
    peer("marks2007", ["Marks, L."], 2007, "Fault-lines between policy and practice in local partnerships", "Journal of Health Organization and Management", 21, 2, "136-148", EN, PH, QL),
    peer("mccreadie2008", ["McCreadie, C.", "Mathew, D.", "Filinson, R.", "Askham, J."], 2008, "Ambiguity and cooperation in the implementation of adult protection policy", SPA, 42, 3, "248-266", EN, HSC, QL),
    peer("meaklim2011", ["Meaklim, T.", "Sims, J."], 2011, "Leading powerful partnerships - a new model of public sector leadership development", "International Journal of Leadership in Public Services", 7, 1, "21-31", CN, CS, QL),
    peer("ndumbe2013", ["Ndumbe-Eyoh, S.", "Moffatt, H."], 2013, "Intersectoral action for health equity: a rapid systematic review", "BMC Public Health", 13, "", "1056", CN, PH, RV),
    peer("pavis2003", ["Pavis, S.", "Constable, H.", "Masters, H."], 2003, "Multi-agency, multi-professional work: experiences from a drug prevention project", "Health Education Research", 18, 6, "717-728", SC, CS, QL),
    peer("percysmith2006", ["Percy-Smith, J."], 2006, "What works in strategic partnerships for children: a research review", "Children & Society", 20, 4, "313-323", CN, CH, RV),
    peer("petch2013", ["Petch, A.", "Cook, A.", "Miller, E."], 2013, "Partnership working and outcomes: do health and social care partnerships deliver for users and carers?", HSCC, 21, 6, "623-633", SC, HSC, MM),
    peer("powell2014", ["Powell, K.", "Thurston, M.", "Bloyce, D."], 2014, "Local status and power in area-based health improvement partnerships", "Health: An Interdisciplinary Journal for the Social Study of Health, Illness and Medicine", 18, 6, "561-579", EN, PH, QL),
    peer("sheaff2014", ["Sheaff, R.", "Windle, K.", "Wistow, G.", "Ashby, S.", "Beech, R.", "Dickinson, A.", "Henderson, C.", "Knapp, M."], 2014, "Reducing emergency bed-days for older people? Network governance lessons from the 'Improving the Future for Older People' programme", "Social Science & Medicine", 106, "", "59-66", EN, HSC, QN),
    peer("sherlock2004", ["Sherlock, K. L.", "Kirk, E. A.", "Reeves, A. D."], 2004, "Just the usual suspects? Partnerships and environmental regulation", "Environment and Planning C: Government and Policy", 22, 5, "651-666", SC, ENV, QL),
    peer("sinclair2011", ["Sinclair, S."], 2011, "Partnership or presence? Exploring the complexity of community planning", LGS, 37, 1, "77-92", SC, LA, QL),
    peer("slater2007", ["Slater, R.", "Frederickson, J.", "Thomas, C.", "Wield, D.", "Potter, S."], 2007, "A critical evaluation of partnerships in municipal waste management in England", "Resources, Conservation and Recycling", 51, 3, "643-664", EN, ENV, MM),
    peer("smith2009", ["Smith, K. E.", "Bambra, C.", "Joyce, K. E.", "Perkins, N.", "Hunter, D. J.", "Blenkinsopp, E. A."], 2009, "Partners in health? A systematic review of the impact of organizational partnerships on public health outcomes in England between 1997 and 2008", "Journal of Public Health", 31, 2, "210-221", EN, PH, RV),
    peer("stewart2003", ["Stewart, A.", "Petch, A.", "Curtice, L."], 2003, "Moving towards integrated working in health and social care in Scotland: from maze to matrix", JIPC, 17, 4, "335-350", SC, HSC, QL),
    peer("stuart2012", ["Stuart, K."], 2012, "Leading multi-professional teams in the children's workforce: an action research project", IJIC, 12, "", "e1", EN, CH, QL),
    peer("sullivan2002", ["Sullivan, H.", "Barnes, M.", "Matka, E."], 2002, "Building collaborative capacity through 'theories of change': early lessons from the evaluation of Health Action Zones in England", "Evaluation", 8, 2, "205-226", CN, PH, QL),
    peer("sullivan2006", ["Sullivan, H.", "Barnes, M.", "Matka, E."], 2006, "Collaborative capacity and strategies in area-based initiatives", "Public Administration", 84, 2, "289-310", CN, LA, QL),
    peer("taylorrobinson2012", ["Taylor-Robinson, D. C.", "Lloyd-Williams, F.", "Orton, L.", "Moonan, M.", "O'Flaherty, M.", "Capewell, S."], 2012, "Barriers to partnership working in public health: a qualitative study", "PLoS ONE", 7, 1, "e29536", EN, PH, QL),
    peer("whitehead2007", ["Whitehead, M."], 2007, "The architecture of partnerships: urban communities in the shadow of hierarchy", "Policy & Politics", 35, 1, "3-23", EN, LA, QL),
    peer("williams2009", ["Williams, I."], 2009, "Offender health and social care: a review of the evidence on inter-agency collaboration", HSCC, 17, 6, "573-580", CN, CS, RV),
    peer("williams2002", ["Williams, P."], 2002, "The competent boundary spanner", "Public Administration", 80, 1, "103-124", NS, XS, QL),
    peer("williams2012", ["Williams, P."], 2012, "Integration of health and social care: a case of learning and knowledge management", HSCC, 20, 5, "550-560", CN, HSC, QL),
    peer("williams2013", ["Williams, P."], 2013, "We are all boundary spanners now?", IJPSM, 26, 1, "17-32", CN, XS, QL),
    peer("willis2012", ["Willis, M.", "Jeffares, S."], 2012, "Four viewpoints of whole area public partnerships", LGS, 38, 5, "539-556", EN, LA, QL),
)

JRF, C4EO, IRISS, SSKS, SCIE, HSMC, SPRU, GOOGLE = (
    "Joseph Rowntree Foundation",
    "Centre for Excellence and Outcomes in Children and Young People's Services (C4EO)",
    "Institute for Research and Innovation in Social Services (IRISS)",
    "Social Services Knowledge Scotland (SSKS)",
    "Social Care Institute for Excellence (SCIE)",
    "Health Services Management Centre (HSMC)",
    "Social Policy Research Unit, York University",
    "Google",
)

GREY: tuple[Study, ...] = (
    grey("atkinson2007", ["Atkinson, M.", "Jones, M.", "Lamont, E."], 2007, "Multi-agency working and its implications for practice: a review of the literature", "National Foundation for Educational Research", CN, XS, RV, [C4EO]),
    grey("edwards2000", ["Edwards, B.", "Goodwin, M.", "Pemberton, S.", "Woods, M."], 2000, "Partnership working in rural regeneration: governance and empowerment?", "The Policy Press for the Joseph Rowntree Foundation", CN, XS, MM, [JRF]),
    grey("macdonald2003", ["MacDonald, K."], 2003, "Methods of learning and development in regeneration partnerships", "Joseph Rowntree Foundation", CN, LA, QL, [JRF]),
    grey("rees2011", ["Rees, J.", "Mullins, D.", "Bovaird, T."], 2011, "Third sector partnerships for service delivery: an evidence review and research project", "Third Sector Research Centre", CN, XS, RV, [GOOGLE]),
    grey("robertson2011", ["Robertson, H."], 2011, "Integration of health and social care: a review of literature and models. Implications for Scotland", "Royal College of Nursing Scotland", CN, HSC, RV, [IRISS]),
    grey("russell2001", ["Russell, H."], 2001, "Local strategic partnerships: lessons from New Commitment to Regeneration", "The Policy Press for the Joseph Rowntree Foundation", EN, LA, MM, [JRF, GOOGLE]),
    grey("uea2005", ["University of East Anglia"], 2005, "Children's trusts: developing integrated services for children in England. National evaluation of children's trusts: phase 1 interim report", "Department for Education and Skills", EN, CH, MM, [C4EO]),
    grey("warmington2004", ["Warmington, P.", "Daniels, H.", "Edwards, A.", "Brown, S.", "Leadbetter, J.", "Martin, D.", "Middleton, D."], 2004, "Interagency collaboration: a review of the literature", "Learning in and for Interagency Working Project, University of Bath", CN, XS, RV, [GOOGLE, SCIE]),
    grey("wilkinson2002", ["Wilkinson, M.", "Craig, G."], 2002, "Local authority members and partnership working", "Joseph Rowntree Foundation", EN, LA, QL, [JRF]),
    grey("windle2009", ["Windle, K.", "Wagland, R.", "Forder, J.", "D'Amico, F.", "Janssen, D.", "Wistow, G."], 2009, "National evaluation of Partnerships for Older People Projects: final report", "PSSRU Discussion Paper 2700, University of Kent", EN, HSC, MM, [HSMC]),
    grey("williamssullivan2007", ["Williams, P.", "Sullivan, H."], 2007, "Working in collaboration: learning from theory and practice", "National Leadership and Innovation Agency for Healthcare", CN, XS, MM, [SSKS]),
)

#: References of the review that were assessed in full and excluded (theoretical papers).
EXCLUDED_PEER = peer("asthana2002", ["Asthana, S.", "Richardson, S.", "Halliday, J."], 2002, "Partnership working in public policy provision: a framework for evaluation", SPA, 36, 7, "780-795", "", "", "")
EXCLUDED_GREY = grey("mayne2008", ["Mayne, J."], 2008, "Contribution analysis: an approach to exploring cause and effect", "ILAC Brief 16, Institutional Learning and Change Initiative", "", "", "", [GOOGLE])

#: Studies that do not report findings on question 3 (54 of the 71 do, section 5.3).
NOT_Q3 = {
    "best2010", "sullivan2002", "mann2004", "meaklim2011", "hayes2012", "gleave2010", "percysmith2006",
    "sherlock2004", "kelman2013", "lawless2013", "carley2010", "whitehead2007", "marks2007", "cole2005",
    "sheaff2014", "smith2009", "rees2011",
}

OTHER_QUESTIONS = {
    "Q1": {"lindsay2008", "percysmith2006", "lester2008", "sinclair2011", "whitehead2007", "powell2014", "sherlock2004",
           "kaehne2013", "haynes2013", "gleave2010", "atkinson2007", "stewart2003", "williamssullivan2007", "huxham2000",
           "warmington2004", "robertson2011"},
    "Q2": {"best2010", "sullivan2002", "dowling2004", "hayes2012", "smith2009", "lamie2010", "petch2013", "freeman2006",
           "beech2013", "cameron2013", "evans2000", "windle2009", "sheaff2014", "uea2005", "ndumbe2013"},
    "Q4": {"hunter2012", "haynes2013", "dickinson2010", "lawless2013", "carley2010", "whitehead2007", "marks2007",
           "kaehne2013", "sinclair2011", "corcoran2012", "cemlyn2005", "lester2008", "harvie2011", "kelman2013", "cole2005",
           "ellis2007", "mccreadie2008", "lamie2010", "willis2012", "wilkinson2002", "russell2001", "rees2011",
           "macdonald2003", "edwards2000", "currie2008", "taylorrobinson2012"},
    "Q5": {"mann2004", "meaklim2011", "ellis2007", "lamie2010", "williams2002", "armistead2004", "williams2013",
           "macdonald2003"},
}

#: Terms for partnership most used in each sector (section 5.1), the first always coded.
TERMS_BY_SECTOR = {
    HSC: ["Integration", "Partnership", "Joint working"],
    PH: ["Partnership", "Collaboration"],
    LA: ["Partnership", "Network"],
    CS: ["Partnership", "Multi-agency"],
    CH: ["Multi-agency", "Integration", "Partnership"],
    EM: ["Partnership", "Inter-agency"],
    ENV: ["Partnership"],
    TO: ["Collaboration"],
    XS: ["Collaboration", "Inter-agency", "Network"],
}

#: Features reported by a single study (the results chain keeps features found in two or more).
SINGLE_STUDY_FEATURES = {"ling2012": "Shared IT systems", "lamie2010": "Independent facilitation"}
