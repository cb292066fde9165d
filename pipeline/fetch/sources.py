"""The publishers' GENESIS web services (REST, version 2020) and the credentials a user gives for them.

- ``regionalstatistik``: Regionaldatenbank Deutschland, https://www.regionalstatistik.de/genesisws/rest/2020/
- ``genesis``: GENESIS-Online of Destatis, https://www-genesis.destatis.de/genesisWS/rest/2020/
- ``zensus2022``: the Zensus 2022 database, https://ergebnisse.zensus2022.de/api/rest/2020/
- ``landesdatenbank-nrw``: Landesdatenbank NRW (IT.NRW), https://www.landesdatenbank.nrw.de/ldbnrwws/rest/2020/

(the addresses are those the services' own recorded answers and the restatis client use). Each is overridable with
``CMP_API_URL_<SOURCE>`` (SOURCE upper case, ``-`` as ``_``: ``CMP_API_URL_LANDESDATENBANK_NRW``). Credentials come
from the environment only: ``CMP_API_TOKEN_<SOURCE>`` (a token, sent as the user name with an empty password, as
the services expect) or ``CMP_API_USER_<SOURCE>`` and ``CMP_API_PASSWORD_<SOURCE>``. They are sent in the request
headers ``username`` and ``password``, never in a URL, and nothing here prints, logs or stores them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from pipeline.domain.manifest import SourceEntry


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    url: str  # the default base address, ending in /rest/2020/
    databases: tuple[str, ...]  # how the manifest's `database` field names tables from here (a prefix)
    folder: str  # raw/<folder>/ for what is fetched from it

    @property
    def env_name(self) -> str:
        return self.name.upper().replace("-", "_")


SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source("regionalstatistik", "Regionaldatenbank Deutschland", "https://www.regionalstatistik.de/genesisws/rest/2020/",
               ("Regionaldatenbank Deutschland",), "regionalstatistik"),
        Source("genesis", "GENESIS-Online (Destatis)", "https://www-genesis.destatis.de/genesisWS/rest/2020/",
               ("GENESIS-Online",), "genesis"),
        Source("zensus2022", "Zensus 2022 database", "https://ergebnisse.zensus2022.de/api/rest/2020/",
               ("Zensus 2022 database",), "zensus2022"),
        Source("landesdatenbank-nrw", "Landesdatenbank NRW (IT.NRW)", "https://www.landesdatenbank.nrw.de/ldbnrwws/rest/2020/",
               ("Landesdatenbank NRW",), "landesdatenbank-nrw"),
    )
}


class CredentialsMissing(ValueError):
    pass


@dataclass(frozen=True)
class Credentials:
    """A user name and password for one service (a token: the user name, with an empty password); ``repr`` never
    shows them."""

    username: str = field(repr=False)
    password: str = field(repr=False)

    def headers(self) -> dict[str, str]:
        return {"username": self.username, "password": self.password}


def base_url(src: Source, environ: Mapping[str, str] = os.environ) -> str:
    url = environ.get(f"CMP_API_URL_{src.env_name}") or src.url
    return url if url.endswith("/") else url + "/"


def credentials(src: Source, environ: Mapping[str, str] = os.environ) -> Credentials:
    token = environ.get(f"CMP_API_TOKEN_{src.env_name}")
    if token:
        return Credentials(token, "")
    user, password = environ.get(f"CMP_API_USER_{src.env_name}"), environ.get(f"CMP_API_PASSWORD_{src.env_name}")
    if user and password:
        return Credentials(user, password)
    raise CredentialsMissing(
        f"no credentials for {src.name} ({src.title}): set CMP_API_TOKEN_{src.env_name} to your token, or "
        f"CMP_API_USER_{src.env_name} and CMP_API_PASSWORD_{src.env_name} (README: 'Fetching the tables')"
    )


def source_of(entry: SourceEntry) -> Source | None:
    """The service a manifest entry's table comes from, by its ``database`` field; None for a table no service
    serves (a Statistischer Bericht, the Gemeindeverzeichnis, our transcriptions)."""
    return next((s for s in SOURCES.values() if any(entry.database.startswith(d) for d in s.databases)), None)
