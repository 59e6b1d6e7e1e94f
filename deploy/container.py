"""The app's container image (deploy/Dockerfile), built and run with podman, also on a machine
that reaches Debian's archive and PyPI but no container registry.

    .venv/bin/python deploy/container.py build                 # localhost/trialguide:latest, its size
    .venv/bin/python deploy/container.py build --base-image python:3.11-slim-bookworm   # with a registry

Without ``--base-image``, the base is Debian bookworm with its Python, made with mmdebstrap from
the machine's own apt sources and imported into podman (``podman import``). It is made once and
kept in the cache folder (``/var/cache/trialguide``, or ``TRIALGUIDE_CONTAINER_CACHE``), under
a name that holds a hash of everything it is made from; delete the folder to make it afresh
(with the archive's newest packages). Podman's images and its settings for this machine are
kept there too (``containers.conf``: runc, ulimits within the machine's limits, no systemd).

Also a library: tests/test_container.py builds with ``build(...)`` and runs with ``podman(...)``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
CACHE_ENV = "TRIALGUIDE_CONTAINER_CACHE"
IMAGE = "localhost/trialguide:latest"
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")

# The base: Debian bookworm, its Python 3.11 and venv, CA certificates; no manuals, docs or locales.
SUITE = "bookworm"
BASE_PACKAGES = ("python3", "python3-venv", "ca-certificates")
MMDEBSTRAP_OPTIONS = (
    "--variant=apt",
    "--dpkgopt=path-exclude=/usr/share/man/*",
    "--dpkgopt=path-exclude=/usr/share/doc/*",
    "--dpkgopt=path-include=/usr/share/doc/*/copyright",
    "--dpkgopt=path-exclude=/usr/share/locale/*",
    "--aptopt=Acquire::Check-Valid-Until \"false\"",
)
IMPORT_CHANGES = ('CMD ["/bin/bash"]', "ENV LANG=C.UTF-8")


def cache_dir() -> Path:
    """Where the base, podman's images and its settings are kept between runs."""
    if os.environ.get(CACHE_ENV):
        path = Path(os.environ[CACHE_ENV])
    elif os.geteuid() == 0:
        path = Path("/var/cache/trialguide")
    else:
        path = ROOT / "test-results" / "container-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def podman_env() -> dict[str, str]:
    """The environment for podman: this machine's settings and its own image store in the cache
    folder. crun fails here (cgroups in hybrid mode), podman's default ulimits exceed the
    machine's hard ones, and there is no systemd."""
    cache = cache_dir()
    nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    nproc = resource.getrlimit(resource.RLIMIT_NPROC)[1]
    nofile = 1048576 if nofile == resource.RLIM_INFINITY else nofile
    nproc = 32768 if nproc == resource.RLIM_INFINITY else min(nproc, 32768)
    runtime = "runc" if shutil.which("runc") else "crun"
    _write_if_changed(
        cache / "containers.conf",
        "[containers]\n"
        f'default_ulimits = ["nofile={nofile}:{nofile}", "nproc={nproc}:{nproc}"]\n'
        "[engine]\n"
        f'runtime = "{runtime}"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n',
    )
    run_root = Path(os.environ.get("XDG_RUNTIME_DIR", "/run")) / f"trialguide-containers-{os.geteuid()}"
    _write_if_changed(
        cache / "storage.conf", f'[storage]\ndriver = "overlay"\ngraphroot = "{cache / "storage"}"\nrunroot = "{run_root}"\n'
    )
    return {**os.environ, "CONTAINERS_CONF": str(cache / "containers.conf"), "CONTAINERS_STORAGE_CONF": str(cache / "storage.conf")}


def _write_if_changed(path: Path, text: str) -> None:
    """Written whole or not at all: a podman started meanwhile never reads half a file."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def podman(*args: str, check: bool = True, timeout: float | None = None, log=None, input: str | None = None) -> subprocess.CompletedProcess:
    """podman with this machine's settings; its output is returned (or written to ``log``);
    ``input`` is its standard input."""
    if shutil.which("podman") is None:
        raise RuntimeError("podman is not installed: apt-get install podman runc mmdebstrap uidmap slirp4netns")
    out = log if log is not None else subprocess.PIPE
    done = subprocess.run(["podman", *args], env=podman_env(), stdout=out, stderr=subprocess.STDOUT if log else subprocess.PIPE,
                          text=True, timeout=timeout, input=input)
    if check and done.returncode != 0:
        raise RuntimeError(f"podman {' '.join(args[:3])} failed ({done.returncode}):\n{done.stdout or ''}{done.stderr or ''}")
    return done


def apt_sources() -> Path | None:
    for path in (Path("/etc/apt/sources.list.d/debian.sources"), Path("/etc/apt/sources.list")):
        if path.is_file() and path.read_text(encoding="utf-8", errors="replace").strip():
            return path
    return None  # mmdebstrap's default, http://deb.debian.org/debian


def base_key() -> str:
    """A hash of everything the base is made from."""
    sources = apt_sources()
    inputs = {
        "suite": SUITE,
        "packages": BASE_PACKAGES,
        "options": MMDEBSTRAP_OPTIONS,
        "changes": IMPORT_CHANGES,
        "sources": sources.read_text(encoding="utf-8", errors="replace") if sources else "",
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:16]


def image_exists(tag: str) -> bool:
    return podman("image", "exists", tag, check=False).returncode == 0


def ensure_base(log) -> tuple[str, str]:
    """The Debian base image's name, and how it was had: "cached" (in podman already),
    "imported" (its kept root filesystem) or "built" (mmdebstrap, then imported)."""
    key = base_key()
    tag = f"localhost/trialguide-base:{SUITE}-{key}"
    if image_exists(tag):
        return tag, "cached"
    tar = cache_dir() / f"base-{SUITE}-{key}.tar"
    how = "imported"
    if not tar.exists():
        how = "built"
        if shutil.which("mmdebstrap") is None:
            raise RuntimeError("mmdebstrap is not installed: apt-get install mmdebstrap")
        # Two builds at once never share one; the name ends in .tar, or mmdebstrap writes a folder.
        partial = tar.with_name(f".{tar.stem}.{os.getpid()}.partial.tar")
        sources = apt_sources()
        args = ["mmdebstrap", "--quiet", "--format=tar", *MMDEBSTRAP_OPTIONS, "--include=" + ",".join(BASE_PACKAGES), SUITE, str(partial)]
        if sources:
            args.append(str(sources))
        done = subprocess.run(args, stdout=log, stderr=subprocess.STDOUT)
        if done.returncode != 0:
            partial.unlink(missing_ok=True)
            raise RuntimeError(f"mmdebstrap failed ({done.returncode}); see the build log")
        partial.rename(tar)
    changes = [arg for change in IMPORT_CHANGES for arg in ("--change", change)]
    podman("import", "--quiet", *changes, str(tar), tag, log=log)
    return tag, how


def build_image(tag: str, base: str, log) -> None:
    args = ["build", "--format", "docker", "--network", "host", "--build-arg", f"BASE_IMAGE={base}",
            "-f", str(DOCKERFILE), "-t", tag]
    if base.startswith("localhost/"):
        args.append("--pull=never")
    if CA_BUNDLE.is_file():
        # This machine's certificates for pip inside the build (RUN steps only; not kept in the image).
        args += ["-v", f"{CA_BUNDLE}:{CA_BUNDLE}:ro"]
    before = podman("image", "inspect", "--format", "{{.Id}}", tag, check=False).stdout.strip()
    podman(*args, str(ROOT), log=log)
    after = podman("image", "inspect", "--format", "{{.Id}}", tag).stdout.strip()
    if before and before != after:
        # The image this one replaced, and its layers no other image uses; never anything else
        # (another build may be running beside this one, on the same store).
        podman("rmi", before, check=False, log=log)


def image_size(tag: str) -> int:
    return int(podman("image", "inspect", "--format", "{{.Size}}", tag).stdout.strip())


def build(tag: str = IMAGE, base_image: str | None = None, log=None) -> dict:
    """The base (unless given) and the image; what it cost, in seconds, and the image's size."""
    log = log if log is not None else sys.stdout
    started = time.monotonic()
    if base_image:
        base, how = base_image, "given"
    else:
        base, how = ensure_base(log)
    based = time.monotonic()
    build_image(tag, base, log)
    done = time.monotonic()
    return {"image": tag, "base": base, "base_was": how, "base_seconds": round(based - started, 1),
            "image_seconds": round(done - based, 1), "size_bytes": image_size(tag)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the base (unless --base-image) and the image")
    b.add_argument("--tag", default=IMAGE)
    b.add_argument("--base-image", help="a base with Python 3.11 and venv, e.g. python:3.11-slim-bookworm")
    b.add_argument("--report", type=Path, help="write what it cost, as JSON, to this file")
    args = parser.parse_args()
    report = build(args.tag, args.base_image)
    if args.report:
        args.report.write_text(json.dumps(report), encoding="utf-8")
    print(f"{report['image']}: {report['size_bytes'] / 1e6:.0f} MB (base {report['base_was']} in {report['base_seconds']} s, "
          f"image in {report['image_seconds']} s)", flush=True)


if __name__ == "__main__":
    main()
