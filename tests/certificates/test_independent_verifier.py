"""The credential checked by a second, independent verifier: Digital Bazaar's @digitalbazaar/vc
with the eddsa-rdfc-2022 cryptosuite (tests/vc/, installed by ``npm ci --prefix tests/vc``, which
``make test`` runs). It must accept the credential and refuse it once tampered with. Skipped,
saying why, where Node or the packages are missing."""

import copy
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from openbadgeslib.ob3.contexts import load_context

pytestmark = pytest.mark.django_db

VC = Path(__file__).resolve().parents[1] / "vc"
OPEN_BADGES_CONTEXTS = (
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
)

if shutil.which("node") is None:
    pytestmark = [pytestmark, pytest.mark.skip(reason="Node.js is not installed")]
elif not (VC / "node_modules" / "@digitalbazaar" / "vc").is_dir():
    pytestmark = [
        pytestmark,
        pytest.mark.skip(reason="run `npm ci --prefix tests/vc` (make test does) first"),
    ]


def verify(document: dict, tmp_path: Path) -> dict:
    credential, contexts = tmp_path / "credential.json", tmp_path / "contexts.json"
    credential.write_text(json.dumps(document))
    contexts.write_text(json.dumps({url: load_context(url) for url in OPEN_BADGES_CONTEXTS}))
    result = subprocess.run(
        ["node", str(VC / "verify.mjs"), str(credential), str(contexts)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.stdout, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_digital_bazaar_accepts_the_credential_and_refuses_it_tampered(
    client, certificate, tmp_path
):
    document = json.loads(client.get(f"/certificates/{certificate.code}/credential.json").content)
    result = verify(document, tmp_path)
    assert result == {"verified": True, "errors": []}
    tampered = copy.deepcopy(document)
    tampered["credentialSubject"]["achievement"]["name"] = "Medical imaging AI"
    result = verify(tampered, tmp_path)
    assert result["verified"] is False
    assert any("signature" in error.lower() for error in result["errors"]), result
