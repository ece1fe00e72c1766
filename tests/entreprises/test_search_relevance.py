"""Relevance of the directory's search on a fixed bilingual corpus.

Each query lists the enterprises that must come in its first three results and
those that must not appear at all. The corpus holds the traps the search once
fell into: "House" names beside housing co-operatives, "logiciel" beside
"logement", a "Wind Farm" beside farms.
"""

import pytest
from django.utils import translation

from entreprises.models import Sector
from entreprises.selectors import DirectoryFilters, search_enterprises
from entreprises.services import refresh_search_vectors, set_sectors
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

# key: (sector slug, name_fr, name_en, city, description_fr, description_en)
CORPUS = {
    "pignons": ("habitation", "Coopérative d'habitation Les Pignons", "Les Pignons Housing Co-operative", "Rimouski", "Logements abordables gérés par les membres.", "Affordable homes run by their members."),
    "toits": ("habitation", "OSBL d'habitation Les Toits du Fleuve", "Les Toits du Fleuve Non-Profit Housing", "Québec", "Logement social pour aînés.", "Social housing for seniors."),
    "petitspas": ("services-de-garde-famille", "CPE Les Petits Pas", "Les Petits Pas Early Childhood Centre", "Montréal", "Centre de la petite enfance de 80 places.", "An 80-place early childhood centre."),
    "maisonfamille": ("services-de-garde-famille", "Maison de la famille du Haut-Richelieu", "Haut-Richelieu Family House", "Saint-Jean-sur-Richelieu", "Activités parents-enfants et halte-garderie.", "Parent-child activities and drop-in daycare."),
    "mediahouse": ("medias-communications", "Maison des médias de l'Estrie", "Estrie Media House", "Sherbrooke", "Radio et journal communautaires.", "Community radio and newspaper."),
    "forestry": ("foresterie-ressources-naturelles", "Coopérative forestière de la Matapédia", "Matapédia Forestry Co-operative", "Amqui", "Aménagement durable de la forêt.", "Sustainable forest management."),
    "fournil": ("agroalimentaire", "Boulangerie solidaire Le Fournil", "Le Fournil Solidarity Bakery", "Québec", "Pain au levain et formation de jeunes.", "Sourdough bread and youth training."),
    "marche": ("agroalimentaire", "Marché de solidarité régionale de Gaspé", "Gaspé Regional Solidarity Market", "Gaspé", "Produits de la ferme en circuit court.", "Farm products sold directly."),
    "theatre": ("arts-culture", "Théâtre communautaire L'Œil", "L'Œil Community Theatre", "Montréal", "Du théâtre dans chaque quartier.", "Theatre in every neighbourhood."),
    "ressourcerie": ("environnement-recyclage", "Ressourcerie des Frontières", "Frontières Reuse Centre", "Lac-Mégantic", "Récupération, réparation et revente d'objets.", "Collecting, repairing and reselling goods."),
    "eesad": ("aide-domicile-services-proximite", "Coopérative de services à domicile du Granit", "Granit Home Care Co-operative", "Lac-Mégantic", "Entretien ménager et soutien à domicile des aînés.", "Housekeeping and home support for seniors."),
    "insertion": ("insertion-employabilite", "Entreprise d'insertion Le Boulot vers", "Le Boulot vers Work Integration Enterprise", "Montréal", "Former des jeunes au métier de cuisinier.", "Training young people as cooks."),
    "velo": ("transport-mobilite", "Coopérative de vélos partagés Roulons", "Roulons Bike Sharing Co-operative", "Sherbrooke", "Vélos en libre-service.", "Self-service bicycles."),
    "eolien": ("energie", "Parc éolien communautaire de la Haute-Côte", "Haute-Côte Community Wind Farm", "Les Escoumins", "Énergie renouvelable produite par la communauté.", "Renewable energy produced by the community."),
    "caisse": ("finance-solidaire-assurances", "Caisse d'économie solidaire", "Solidarity Economy Credit Union", "Québec", "Prêts et placements pour l'économie sociale.", "Loans and investments for the social economy."),
    "logiciel": ("technologies-information", "Coopérative de logiciels libres Koumbit", "Koumbit Free Software Co-operative", "Montréal", "Hébergement web et logiciels libres.", "Web hosting and free software."),
}  # fmt: skip

# (query, must be in the first three, must not appear)
FRENCH = [
    ("habitation", ["pignons", "toits"], ["mediahouse", "maisonfamille"]),
    ("logement", ["pignons", "toits"], ["mediahouse", "logiciel"]),
    ("logements", ["pignons", "toits"], ["logiciel"]),
    ("coopérative d'habitation", ["pignons", "toits"], ["forestry", "velo"]),
    ("garderie", ["petitspas", "maisonfamille"], ["pignons"]),
    ("CPE", ["petitspas", "maisonfamille"], ["mediahouse"]),
    ("service de garde", ["petitspas", "maisonfamille"], ["eesad"]),
    ("petite enfance", ["petitspas", "maisonfamille"], ["theatre"]),
    ("maison", ["maisonfamille", "mediahouse"], ["pignons"]),
    ("médias", ["mediahouse"], ["maisonfamille"]),
    ("radio", ["mediahouse"], ["theatre"]),
    ("forêt", ["forestry"], ["fournil"]),
    ("foresterie", ["forestry"], ["mediahouse"]),
    ("boulangerie", ["fournil"], ["theatre"]),
    ("pain", ["fournil"], ["marche"]),
    ("ferme", ["marche"], ["forestry"]),
    ("théâtre", ["theatre"], ["mediahouse"]),
    ("theatre", ["theatre"], ["mediahouse"]),
    ("oeil", ["theatre"], ["caisse"]),
    ("recyclage", ["ressourcerie"], ["fournil"]),
    ("réparation", ["ressourcerie"], ["eesad"]),
    ("aide à domicile", ["eesad"], ["pignons"]),
    ("aînés", ["eesad", "toits"], ["petitspas"]),
    ("insertion", ["insertion"], ["fournil"]),
    ("emploi", ["insertion"], ["caisse"]),
    ("vélo", ["velo"], ["eolien"]),
    ("covoiturage", ["velo"], ["eolien"]),
    ("énergie", ["eolien"], ["caisse"]),
    ("éolien", ["eolien"], ["velo"]),
    ("caisse", ["caisse"], ["pignons"]),
    ("prêt", ["caisse"], ["logiciel"]),
    ("logiciel libre", ["logiciel"], ["pignons", "toits"]),
    ("rimouski", ["pignons"], ["toits"]),
    ("Lac-Mégantic", ["ressourcerie", "eesad"], ["velo"]),
]

ENGLISH = [
    ("housing", ["pignons", "toits"], ["mediahouse", "maisonfamille"]),
    ("house", ["mediahouse", "maisonfamille"], ["pignons", "toits"]),
    ("housing co-operative", ["pignons", "toits"], ["forestry", "velo"]),
    ("social housing", ["toits", "pignons"], ["mediahouse"]),
    ("daycare", ["petitspas", "maisonfamille"], ["pignons"]),
    ("childcare", ["petitspas", "maisonfamille"], ["mediahouse"]),
    ("child care", ["petitspas", "maisonfamille"], ["eesad"]),
    ("early childhood", ["petitspas"], ["theatre"]),
    ("media", ["mediahouse"], ["maisonfamille"]),
    ("newspaper", ["mediahouse"], ["theatre"]),
    ("forest", ["forestry"], ["fournil"]),
    ("forestry", ["forestry"], ["mediahouse"]),
    ("bakery", ["fournil"], ["theatre"]),
    ("bread", ["fournil"], ["marche"]),
    ("farm", ["marche", "eolien"], ["forestry"]),
    ("theatre", ["theatre"], ["mediahouse"]),
    ("theater", ["theatre"], ["mediahouse"]),
    ("neighbourhood", ["theatre"], ["caisse"]),
    ("recycling", ["ressourcerie"], ["fournil"]),
    ("repair", ["ressourcerie"], ["eesad"]),
    ("home care", ["eesad"], ["pignons"]),
    ("seniors", ["eesad", "toits"], ["petitspas"]),
    ("work integration", ["insertion"], ["caisse"]),
    ("jobs", ["insertion"], ["caisse"]),
    ("bike", ["velo"], ["eolien"]),
    ("car sharing", ["velo"], ["eolien"]),
    ("energy", ["eolien"], ["caisse"]),
    ("wind", ["eolien"], ["velo"]),
    ("credit union", ["caisse"], ["pignons"]),
    ("loans", ["caisse"], ["logiciel"]),
    ("free software", ["logiciel"], ["pignons", "toits"]),
    ("rimouski", ["pignons"], ["toits"]),
    ("families", ["maisonfamille"], ["caisse"]),
]

# A query and its translation find the same enterprises.
TRANSLATIONS = [
    ("habitation", "housing"),
    ("logement", "housing"),
    ("garderie", "daycare"),
    ("CPE", "childcare"),
    ("recyclage", "recycling"),
    ("énergie", "energy"),
    ("vélo", "bicycle"),
]


@pytest.fixture
def corpus(reference_data):
    keys = {}
    for key, (slug, name_fr, name_en, city, description_fr, description_en) in CORPUS.items():
        enterprise = EnterpriseFactory(
            name_fr=name_fr,
            name_en=name_en,
            city=city,
            description_fr=description_fr,
            description_en=description_en,
        )
        set_sectors(enterprise=enterprise, primary=Sector.objects.get(slug=slug))
        keys[enterprise.pk] = key
    refresh_search_vectors()
    return keys


def ranked(corpus, q):
    # The reference data hold enterprises of their own: named by slug.
    return [corpus.get(e.pk, e.slug) for e in search_enterprises(filters=DirectoryFilters(q=q))]


def test_each_language_has_at_least_thirty_queries():
    assert len(FRENCH) >= 30
    assert len(ENGLISH) >= 30


@pytest.mark.parametrize(
    ("language", "q", "top", "absent"),
    [("fr", *case) for case in FRENCH] + [("en", *case) for case in ENGLISH],
)
def test_relevance(corpus, language, q, top, absent):
    with translation.override(language):
        found = ranked(corpus, q)
    assert set(top) <= set(found[:3]), found
    assert not set(absent) & set(found), found


@pytest.mark.parametrize(("french", "english"), TRANSLATIONS)
def test_a_query_and_its_translation_find_the_same(corpus, french, english):
    assert sorted(ranked(corpus, french)) == sorted(ranked(corpus, english))
