"""Words for fictitious demonstration enterprises, in French and English.

Names mix a legal form, a sector and an evocative word with a real Québec town;
contact details use reserved fictional values (555-01xx telephone numbers, the
`.example` domain), so no demo record can be mistaken for, or reach, a real one.
"""

# (French, English) forms, by legal form and type of cooperative.
COOPERATIVE_FORMS = {
    "consumer": ("Coopérative de consommateurs", "Consumer Cooperative"),
    "producer": ("Coopérative de producteurs", "Producers' Cooperative"),
    "worker": ("Coopérative de travail", "Worker Cooperative"),
    "worker_shareholder": (
        "Coopérative de travailleurs actionnaire",
        "Worker-Shareholder Cooperative",
    ),
    "solidarity": ("Coopérative de solidarité", "Solidarity Cooperative"),
}
NONPROFIT_FORMS = [
    ("Centre", "Centre"),
    ("Regroupement", "Network"),
    ("Corporation", "Corporation"),
    ("Collectif", "Collective"),
    ("Atelier", "Workshop"),
    ("Maison", "House"),
]
MUTUAL_FORM = ("Mutuelle", "Mutual")

# By sector slug: (French qualifier after the form, English adjective,
# French mission, English mission).
SECTOR_WORDS = {
    "agroalimentaire": (
        "agroalimentaire",
        "Food",
        "Rapprocher producteurs et mangeurs et rendre une alimentation saine accessible à tous.",
        "To bring growers and eaters together and make healthy food affordable to all.",
    ),
    "foresterie-ressources-naturelles": (
        "forestière",
        "Forestry",
        "Mettre en valeur la forêt de façon durable en créant des emplois dans la communauté.",
        "To manage the forest sustainably while creating jobs in the community.",
    ),
    "habitation": (
        "d'habitation",
        "Housing",
        "Offrir à ses membres des logements abordables, sains et gérés collectivement.",
        "To offer its members affordable, healthy, collectively run housing.",
    ),
    "immobilier-collectif": (
        "en immobilier collectif",
        "Community Property",
        "Acquérir et gérer des immeubles au service des organismes et des citoyens du quartier.",
        "To acquire and run buildings that serve local organizations and residents.",
    ),
    "services-de-garde-famille": (
        "famille",
        "Family",
        "Soutenir les familles par des services de garde éducatifs "
        "et des activités parents-enfants.",
        "To support families with educational childcare and parent-child activities.",
    ),
    "aide-domicile-services-proximite": (
        "d'aide à domicile",
        "Home Care",
        "Permettre aux aînés et aux personnes en perte d'autonomie de vivre chez eux dignement.",
        "To help seniors and people losing autonomy live at home with dignity.",
    ),
    "sante-services-sociaux": (
        "en santé communautaire",
        "Community Health",
        "Améliorer la santé et le bien-être de la population par des services de proximité.",
        "To improve people's health and well-being through local services.",
    ),
    "insertion-employabilite": (
        "d'insertion",
        "Work Integration",
        "Former et accompagner vers l'emploi des personnes éloignées du marché du travail.",
        "To train people far from the job market and help them into work.",
    ),
    "education-formation": (
        "en formation",
        "Learning",
        "Rendre la formation continue et l'alphabétisation accessibles à tous les âges.",
        "To make continuing education and literacy accessible at every age.",
    ),
    "arts-culture": (
        "culturelle",
        "Arts",
        "Faire vivre la création artistique locale et l'ouvrir à tous les publics.",
        "To keep local artistic creation alive and open it to every audience.",
    ),
    "medias-communications": (
        "de communication",
        "Media",
        "Informer la communauté par un média indépendant, local et participatif.",
        "To inform the community through independent, local, participatory media.",
    ),
    "loisirs-sport-tourisme": (
        "de plein air",
        "Outdoor",
        "Développer un tourisme et des loisirs accessibles qui font découvrir la région.",
        "To develop affordable tourism and recreation that show off the region.",
    ),
    "commerce-de-detail": (
        "de commerce",
        "Retail",
        "Maintenir un commerce de proximité appartenant à la communauté.",
        "To keep a community-owned shop open close to home.",
    ),
    "environnement-recyclage": (
        "en environnement",
        "Green",
        "Réduire les déchets par la récupération, la réparation et le réemploi.",
        "To cut waste through recovery, repair and reuse.",
    ),
    "energie": (
        "énergétique",
        "Energy",
        "Produire une énergie renouvelable dont les retombées restent dans la région.",
        "To produce renewable energy whose benefits stay in the region.",
    ),
    "transport-mobilite": (
        "de transport",
        "Transport",
        "Offrir des solutions de mobilité collective là où le transport manque.",
        "To offer shared transport where there is too little of it.",
    ),
    "finance-solidaire-assurances": (
        "de finance solidaire",
        "Solidarity Finance",
        "Mettre l'épargne de ses membres au service de projets collectifs.",
        "To put its members' savings to work for collective projects.",
    ),
    "technologies-information": (
        "numérique",
        "Digital",
        "Développer des outils numériques libres au service des organismes.",
        "To build free and open digital tools for community organizations.",
    ),
    "services-aux-entreprises": (
        "de services",
        "Business Services",
        "Offrir aux entreprises collectives des services partagés de gestion.",
        "To offer collective enterprises shared management services.",
    ),
    "fabrication": (
        "de fabrication",
        "Manufacturing",
        "Fabriquer localement des produits durables en créant des emplois de qualité.",
        "To make durable products locally while creating good jobs.",
    ),
    "organisations-civiques-sociales": (
        "communautaire",
        "Community",
        "Rassembler les citoyens et défendre les intérêts de la communauté.",
        "To bring residents together and stand up for the community.",
    ),
}

# Evocative words, kept in French in both languages as Québec enterprises do.
BRANDS = [
    "L'Envol", "Le Grenier", "La Ruche", "Le Phare", "L'Entraide", "Le Tournesol",
    "La Passerelle", "Horizon", "Le Carrefour", "Les Jardins", "La Source", "L'Élan",
    "Le Chêne", "L'Accueil", "La Boussole", "Le Fil", "La Brèche", "Le Relais",
    "L'Atelier vert", "La Marmite", "Le Tremplin", "La Grange", "L'Érablière", "Le Quai",
    "La Traverse", "Le Rucher", "L'Étincelle", "La Courtepointe", "Le Sentier", "L'Aube",
    "La Clé", "Le Pont", "Les Semences", "La Voûte", "L'Ancrage", "Le Bercail",
]  # fmt: skip

STREETS = [
    "rue Principale", "rue Notre-Dame", "rue Saint-Joseph", "rue de l'Église",
    "avenue du Parc", "boulevard Saint-Laurent", "rue Saint-Jean", "rue Wellington",
    "rue du Collège", "rue des Érables", "chemin du Lac", "rue Sainte-Anne",
    "boulevard de la Gare", "rue du Pont", "avenue Laurier", "rue Racine", "rue King",
    "rue Champlain",
]  # fmt: skip

# Area codes by administrative region code.
AREA_CODES = {
    "01": ("418", "581"), "02": ("418", "581"), "03": ("418", "581"), "04": ("819", "873"),
    "05": ("819", "873"), "06": ("514", "438"), "07": ("819", "873"), "08": ("819", "873"),
    "09": ("418", "581"), "10": ("819", "418"), "11": ("418", "581"), "12": ("418", "581"),
    "13": ("450", "579"), "14": ("450", "579"), "15": ("450", "579"), "16": ("450", "579"),
    "17": ("819", "873"),
}  # fmt: skip

DEMO_NOTICE_FR = "Entreprise fictive, créée pour la démonstration du portail."
DEMO_NOTICE_EN = "A fictitious enterprise, made up to demonstrate the portal."

# Opening hours as staff type them (entreprises/opening_hours.py reads them).
OPENING_HOURS = [
    "lun-ven 9:00-17:00",
    "lun-ven 8:30-12:00, 13:00-16:30",
    "mar-sam 10:00-18:00; dim 12:00-17:00",
    "lun-mer 9:00-17:00; jeu-ven 9:00-21:00; sam 9:00-17:00",
    "lun-ven 7:00-19:00; sam-dim 8:00-16:00",
    "mer-dim 11:00-20:00",
]
HOURS_NOTES = [
    ("Fermé les jours fériés.", "Closed on public holidays."),
    ("Horaire réduit en juillet et en août.", "Shorter hours in July and August."),
    ("Sur rendez-vous le samedi.", "By appointment on Saturdays."),
]
# (French, English) products and services, a few of which each enterprise offers.
OFFERS = [
    ("vente au comptoir", "over-the-counter sales"),
    ("livraison à domicile", "home delivery"),
    ("ateliers et formations", "workshops and training"),
    ("service de traiteur", "catering"),
    ("location de salles", "room rental"),
    ("services-conseils", "consulting"),
    ("réparation et réemploi", "repair and reuse"),
    ("boutique en ligne", "online shop"),
    ("accompagnement personnalisé", "one-on-one support"),
]
