"""The Kubernetes example (deploy/kubernetes.yaml) against the API's own schemas, offline, with
kubernetes-validate --strict (an unknown or misspelt field is refused), for the versions
deploy/README.md names; and in step with the image it runs (deploy/Dockerfile)."""
from __future__ import annotations

import copy
import re
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "deploy" / "kubernetes.yaml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
VERSIONS = ("1.30.0", "1.33.0")  # as deploy/README.md says


def documents() -> list[dict]:
    return [doc for doc in yaml.safe_load_all(MANIFEST.read_text(encoding="utf-8")) if doc]


def of_kind(kind: str) -> dict:
    return next(doc for doc in documents() if doc["kind"] == kind)


@pytest.mark.parametrize("version", VERSIONS)
def test_the_example_passes_strict_validation(version):
    """As an operator would run it: the command line, strict, for this Kubernetes version."""
    done = subprocess.run([sys.executable, "-m", "kubernetes_validate", "--strict", "-k", version, str(MANIFEST)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    passed = re.findall(r"passed for resource (\S+) against version", done.stdout + done.stderr)
    assert sorted(passed) == ["cronjob/trialguide-registry", "deployment/trialguide", "ingress/trialguide",
                              "persistentvolumeclaim/trialguide-registry", "poddisruptionbudget/trialguide", "service/trialguide"]


@pytest.mark.parametrize(
    "path, value",
    [(("spec", "template", "spec", "containers", 0, "readinessProbes"), {}),  # a misspelt field
     (("spec", "template", "spec", "securityContext", "runAsUser"), "10001")],  # a number as a string
)
def test_strict_validation_would_catch_a_mistake(path, value):
    deployment = copy.deepcopy(of_kind("Deployment"))
    target = deployment
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, VERSIONS[0], strict=True)


def test_the_example_runs_the_image_as_it_is_built():
    """The user, the port and the health check the Dockerfile sets are the ones the pods use."""
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    uid, gid = re.search(r"^USER (\d+):(\d+)$", dockerfile, re.M).groups()
    port = re.search(r"^EXPOSE (\d+)$", dockerfile, re.M).group(1)
    health = re.search(r"/_stcore/health", dockerfile)
    pod = of_kind("Deployment")["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsUser"] == int(uid) and pod["securityContext"]["runAsGroup"] == int(gid)
    assert pod["securityContext"]["runAsNonRoot"] is True
    app = pod["containers"][0]
    assert app["ports"][0]["containerPort"] == int(port)
    assert health and {app[p]["httpGet"]["path"] for p in ("startupProbe", "readinessProbe", "livenessProbe")} == {"/_stcore/health"}
    assert app["securityContext"]["readOnlyRootFilesystem"] is True  # as tests/test_container.py runs it (--read-only)
    assert {m["mountPath"] for m in app["volumeMounts"] if not m.get("readOnly")} == {"/tmp"}  # the only place it may write
    env = {e["name"] for e in app["env"]}
    assert {"STREAMLIT_SERVER_COOKIE_SECRET", "TRIALGUIDE_PUBLIC_URL", "STREAMLIT_SERVER_ALLOWED_HOSTS"} <= env


def test_the_registry_job_writes_the_file_every_replica_reads():
    """The CronJob runs the app's own image (so it compares with the content the replicas serve),
    as the same unprivileged user, and writes the file the replicas are told to read, on the
    volume they mount read-only."""
    deployment = of_kind("Deployment")["spec"]["template"]["spec"]
    app = deployment["containers"][0]
    job = of_kind("CronJob")["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    check = job["containers"][0]
    read = next(e["value"] for e in app["env"] if e["name"] == "TRIALGUIDE_REGISTRY_STATUS")
    command = check["command"]
    assert command[:3] == ["python", "-m", "scripts.registry_check"] and (ROOT / "scripts" / "registry_check.py").is_file()
    assert "--fetch" in command and command[command.index("--write") + 1] == read
    assert check["image"] == app["image"]
    assert job["securityContext"]["runAsUser"] == deployment["securityContext"]["runAsUser"]

    def claim(pod: dict, container: dict) -> tuple[str, bool]:
        mount = next(m for m in container["volumeMounts"] if read.startswith(m["mountPath"] + "/"))
        volume = next(v for v in pod["volumes"] if v["name"] == mount["name"])
        return volume["persistentVolumeClaim"]["claimName"], bool(mount.get("readOnly"))

    assert claim(deployment, app) == (of_kind("PersistentVolumeClaim")["metadata"]["name"], True)
    assert claim(job, check) == (of_kind("PersistentVolumeClaim")["metadata"]["name"], False)
    assert "ReadWriteMany" in of_kind("PersistentVolumeClaim")["spec"]["accessModes"]


def test_the_ingress_keeps_visitors_on_one_replica_over_https_only():
    annotations = of_kind("Ingress")["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert annotations[prefix + "affinity"] == "cookie" and annotations[prefix + "affinity-mode"] == "persistent"
    assert annotations[prefix + "session-cookie-secure"] == "true"
    assert annotations[prefix + "ssl-redirect"] == "true"
    assert int(annotations[prefix + "proxy-read-timeout"]) >= 3600  # the WebSocket lasts the visit
    readme = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    for name in annotations:  # every annotation it relies on is explained to the operator
        assert name.removeprefix(prefix) in readme, name
    for version in VERSIONS:
        assert version.rsplit(".", 1)[0] in readme
