"""A local stand-in for the Hugging Face Hub's HTTP API, for publishing tests: the real
`huggingface_hub` client talks to it over HTTP on the loopback address, and it records every
commit (with the files it leaves in the repo) and every tag.

It answers what `HfApi.create_repo`, `list_repo_refs`, `create_commit` (preupload, the
README's metadata check, the commit itself), `create_tag`, `repo_info` and `snapshot_download`
ask of a dataset repo (a tree in one page). Every file is a regular git file here: the Hub
would take the Parquet files through LFS, which changes how their bytes travel, not what a
commit holds."""

import base64
import hashlib
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx2
import pytest
from huggingface_hub import HfApi, constants, set_client_factory
from huggingface_hub.utils._http import default_client_factory


def git_blob_sha1(data: bytes) -> str:
    """The id git gives a file's content, as the Hub reports a regular file's oid."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class Commit:
    oid: str
    message: str
    files: dict[str, bytes]
    """Every file of the repo at this commit."""
    added: list[str]
    """The paths this commit wrote."""


@dataclass
class Repo:
    commits: list[Commit] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    """Tag name -> commit oid."""

    def head(self) -> Commit | None:
        return self.commits[-1] if self.commits else None

    def at(self, revision: str) -> Commit | None:
        """The commit a revision (main, a tag or an oid) names."""
        if revision == "main":
            return self.head()
        oid = self.tags.get(revision, revision)
        return next((c for c in self.commits if c.oid == oid), None)


class FakeHub:
    """The recorded state, and the server that changes it."""

    def __init__(self) -> None:
        self.repos: dict[str, Repo] = {}
        self.requests: list[str] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def api(self) -> HfApi:
        return HfApi(endpoint=self.url, token="hf_fake")

    def commit(self, repo: Repo, message: str, written: dict[str, bytes]) -> Commit:
        head = repo.head()
        files = dict(head.files) if head else {}
        files.update(written)
        parent = head.oid if head else ""
        oid = hashlib.sha1(f"{parent}{message}{sorted(files)}".encode()).hexdigest()
        made = Commit(oid, message, files, sorted(written))
        repo.commits.append(made)
        return made


def _handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length", 0)))

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            with hub._lock:
                hub.requests.append(f"{self.command} {path}")
                if match := re.fullmatch(r"/api/datasets/(.+?/.+?)/refs", path):
                    repo = hub.repos.get(match[1])
                    if repo is None:
                        return self._send(404, {"error": "Repository not found"})
                    head = repo.head()
                    main = [] if head is None else [self._ref("main", "heads", head.oid)]
                    tags = [self._ref(name, "tags", oid) for name, oid in repo.tags.items()]
                    return self._send(200, {"branches": main, "converts": [], "tags": tags})
                if match := re.fullmatch(r"/api/datasets/(.+?/.+?)/revision/(.+)", path):
                    commit = self._commit_at(match[1], match[2])
                    if commit is None:
                        return self._send(404, {"error": "Revision not found"})
                    siblings = [{"rfilename": name} for name in sorted(commit.files)]
                    return self._send(
                        200, {"id": match[1], "sha": commit.oid, "siblings": siblings}
                    )
                if match := re.fullmatch(r"/api/datasets/(.+?/.+?)/tree/([^/]+)", path):
                    commit = self._commit_at(match[1], match[2])
                    if commit is None:
                        return self._send(404, {"error": "Revision not found"})
                    tree = [
                        {
                            "type": "file",
                            "path": name,
                            "oid": git_blob_sha1(data),
                            "size": len(data),
                        }
                        for name, data in sorted(commit.files.items())
                    ]
                    return self._send(200, tree)
                if match := re.fullmatch(r"/datasets/(.+?/.+?)/resolve/([^/]+)/(.+)", path):
                    commit = self._commit_at(match[1], match[2])
                    if commit is None or match[3] not in commit.files:
                        return self._send(404, {"error": "Entry not found"})
                    data = commit.files[match[3]]
                    headers = {"X-Repo-Commit": commit.oid, "ETag": f'"{git_blob_sha1(data)}"'}
                    return self._send(200, data, headers)
            self._send(404, {"error": f"no such route {path}"})

        @staticmethod
        def _ref(name: str, kind: str, oid: str) -> dict[str, str]:
            return {"name": name, "ref": f"refs/{kind}/{name}", "targetCommit": oid}

        def _commit_at(self, repo_id: str, revision: str) -> Commit | None:
            repo = hub.repos.get(repo_id)
            return repo.at(revision) if repo else None

        def do_POST(self) -> None:
            path = unquote(urlsplit(self.path).path)
            body = self._body()
            with hub._lock:
                hub.requests.append(f"POST {path}")
                if path == "/api/repos/create":
                    request = json.loads(body)
                    repo_id = f"{request['organization']}/{request['name']}"
                    url = f"{hub.url}/datasets/{repo_id}"
                    if repo_id in hub.repos:  # the Hub names the repo in its refusal too
                        error = "You already created this dataset repo"
                        return self._send(409, {"error": error, "url": url})
                    hub.repos[repo_id] = Repo()
                    return self._send(200, {"url": url})
                if path == "/api/validate-yaml":
                    return self._send(200, {"errors": [], "warnings": []})
                if match := re.fullmatch(r"/api/datasets/(.+?/.+?)/preupload/(.+)", path):
                    head = hub.repos[match[1]].head()
                    held = head.files if head else {}
                    files = [
                        {
                            "path": f["path"],
                            "uploadMode": "regular",
                            "shouldIgnore": False,
                            "oid": git_blob_sha1(held[f["path"]]) if f["path"] in held else None,
                        }
                        for f in json.loads(body)["files"]
                    ]
                    return self._send(200, {"files": files})
                if match := re.fullmatch(r"/api/datasets/(.+?/.+?)/commit/main", path):
                    lines = [json.loads(line) for line in body.splitlines() if line]
                    header = next(line["value"] for line in lines if line["key"] == "header")
                    written = {
                        line["value"]["path"]: base64.b64decode(line["value"]["content"])
                        for line in lines
                        if line["key"] == "file"
                    }
                    unexpected = {line["key"] for line in lines} - {"header", "file"}
                    if unexpected:
                        return self._send(400, {"error": f"not supported here: {unexpected}"})
                    made = hub.commit(hub.repos[match[1]], header["summary"], written)
                    url = f"{hub.url}/datasets/{match[1]}/commit/{made.oid}"
                    return self._send(
                        200, {"commitUrl": url, "commitOid": made.oid, "pullRequestUrl": None}
                    )
                if match := re.fullmatch(r"/api/datasets/(.+?/.+?)/tag/(.+)", path):
                    repo = hub.repos[match[1]]
                    tag = json.loads(body)["tag"]
                    commit = repo.at(match[2])
                    if commit is None:
                        return self._send(404, {"error": "Revision not found"})
                    if tag in repo.tags:
                        return self._send(409, {"error": f"Tag {tag} already exists"})
                    repo.tags[tag] = commit.oid
                    return self._send(200, {})
            self._send(404, {"error": f"no such route {path}"})

    return Handler


def _loopback_only(request: httpx2.Request) -> None:
    if request.url.host != "127.0.0.1":
        raise AssertionError(f"a test reached for the network: {request.method} {request.url}")


@contextmanager
def fake_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """A running FakeHub, and the client pointed at it: its default endpoint is the fake's,
    offline mode (HF_HUB_OFFLINE=1 in the tests) is lifted, and its HTTP client refuses any
    address but the loopback one, so that nothing reaches the network."""
    hub = FakeHub()
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    template = constants.HUGGINGFACE_CO_URL_TEMPLATE.replace(constants.ENDPOINT, hub.url)
    monkeypatch.setattr(constants, "ENDPOINT", hub.url)
    monkeypatch.setattr(constants, "HUGGINGFACE_CO_URL_TEMPLATE", template)
    set_client_factory(
        lambda: httpx2.Client(
            event_hooks={"request": [_loopback_only]}, follow_redirects=True, timeout=60
        )
    )
    thread = threading.Thread(target=hub._server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hub
    finally:
        set_client_factory(default_client_factory)
        hub._server.shutdown()
        hub._server.server_close()
        thread.join(timeout=10)
