"""jwt_sign and jwt_verify against PyJWT itself (python3-jwt), both ways:
PyJWT's jwt.decode accepts what jwt_sign makes, and jwt_verify accepts what
jwt.encode makes and refuses what jwt.decode refuses."""
import time

import jwt
import pytest

ALGS = ["HS256", "HS384", "HS512"]
PAYLOADS = [
    {},
    {"sub": "1234567890", "name": "Jöhn 😀", "admin": True, "n": None},
    {"nested": {"a": [1, 2.5, -0.0, 1e100, "x"]}, "z": "\u0000\n\"\\"},
]


def run(api, fn, inp):
    r = api.execute(fn, inp)
    assert r.status_code == 200, r.text
    return r.json()["result"]


@pytest.mark.parametrize("alg", ALGS)
def test_pyjwt_decodes_what_jwt_sign_makes(api, alg):
    for payload in PAYLOADS + [{"exp": int(time.time()) + 600}]:
        for secret in ("", "s3cr3t", "ключ 🔑"):
            tok = run(api, "jwt_sign", {"payload": payload,
                                        "secret": secret, "algorithm": alg})
            assert jwt.get_unverified_header(tok) == {"alg": alg,
                                                      "typ": "JWT"}
            assert tok.split(".")[0] == jwt.utils.base64url_encode(
                ('{"alg":"%s","typ":"JWT"}' % alg).encode()).decode()
            assert jwt.decode(tok, secret, algorithms=[alg]) == payload
            assert tok == jwt.encode(payload, secret, algorithm=alg)
            with pytest.raises(jwt.InvalidSignatureError):
                jwt.decode(tok, secret + "x", algorithms=[alg])


@pytest.mark.parametrize("alg", ALGS)
def test_jwt_verify_agrees_with_pyjwt(api, alg):
    now = int(time.time())
    cases = [
        ({"sub": "x"}, "k", "k", True),
        ({"sub": "x"}, "k", "K", False),
        ({"exp": now + 600}, "k", "k", True),
        ({"exp": now - 600}, "k", "k", False),
        ({"nbf": now + 600}, "k", "k", False),
        ({"nbf": now - 600}, "k", "k", True),
        ({"iat": now + 600}, "k", "k", False),
        ({"aud": "someone"}, "k", "k", False),
    ]
    for payload, key, check_key, ok in cases:
        tok = jwt.encode(payload, key, algorithm=alg)
        try:
            jwt.decode(tok, check_key, algorithms=ALGS)
            want = True
        except jwt.InvalidTokenError:
            want = False
        assert want == ok
        got = run(api, "jwt_verify", {"token": tok, "secret": check_key})
        assert got["valid"] is ok, (payload, got)
        if ok:
            assert got["payload"] == payload
        else:
            assert "payload" not in got and got["reason"]


def test_alg_none_is_refused(api):
    tok = jwt.encode({"sub": "x"}, None, algorithm="none")
    got = run(api, "jwt_verify", {"token": tok, "secret": ""})
    assert got == {"valid": False,
                   "reason": "The specified alg value is not allowed"}
    # a forged HS256 token signed with nothing
    head = jwt.utils.base64url_encode(b'{"alg":"HS256","typ":"JWT"}')
    body = jwt.utils.base64url_encode(b'{"sub":"x"}')
    got = run(api, "jwt_verify", {"token": (head + b"." + body + b".")
                                  .decode(), "secret": "k"})
    assert got == {"valid": False, "reason": "Signature verification failed"}
