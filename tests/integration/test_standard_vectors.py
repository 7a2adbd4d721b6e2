"""The published test vectors of the standards that define catalog
functions, over HTTP, written out here (not computed by a reference):

- base64: RFC 4648 section 10 (base32 has no catalog function);
- hash: MD5 (RFC 1321 A.5), SHA-1/224/256/384/512 (FIPS 180 examples, the
  one-block "abc" and the two-block 448-bit message), SHA3-256 (FIPS 202
  examples), BLAKE2b-512 (RFC 7693 appendix A), CRC-32 check value;
- hmac: RFC 4231 test cases 1 and 2 (the ones whose key and data are
  text; cases 3, 4, 6 and 7 use bytes that are not UTF-8);
- json_pointer: RFC 6901 section 5; json_merge_patch: RFC 7396 appendix A
  (json_patch: RFC 6902 appendix A runs in test_peer_json_patch.py, whose
  spec_tests.json holds it);
- semver_compare: the precedence examples of SemVer 2.0.0 section 11.
"""
import itertools

import pytest

ABC448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"

BASE64 = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
          ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
          ("foobar", "Zm9vYmFy")]

HASHES = [
    ("md5", "", "d41d8cd98f00b204e9800998ecf8427e"),
    ("md5", "a", "0cc175b9c0f1b6a831c399e269772661"),
    ("md5", "abc", "900150983cd24fb0d6963f7d28e17f72"),
    ("md5", "message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
    ("md5", "abcdefghijklmnopqrstuvwxyz",
     "c3fcd3d76192e4007dfb496cca67e13b"),
    ("sha1", "", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
    ("sha1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
    ("sha1", ABC448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
    ("sha224", "abc",
     "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"),
    ("sha256", "",
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("sha256", "abc",
     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ("sha256", ABC448,
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ("sha384", "abc",
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
     "8086072ba1e7cc2358baeca134c825a7"),
    ("sha512", "abc",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
    ("sha3_256", "",
     "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"),
    ("sha3_256", "abc",
     "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"),
    ("blake2b", "abc",
     "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
     "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"),
    ("crc32", "123456789", "cbf43926"),
]

HMAC = [
    ("\x0b" * 20, "Hi There", "sha256",
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
    ("\x0b" * 20, "Hi There", "sha512",
     "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
     "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"),
    ("Jefe", "what do ya want for nothing?", "sha256",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
    ("Jefe", "what do ya want for nothing?", "sha224",
     "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44"),
]

RFC6901_DOC = {"foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3,
               "g|h": 4, "i\\j": 5, 'k"l': 6, " ": 7, "m~n": 8}
RFC6901 = [("", RFC6901_DOC), ("/foo", ["bar", "baz"]), ("/foo/0", "bar"),
           ("/", 0), ("/a~1b", 1), ("/c%d", 2), ("/e^f", 3), ("/g|h", 4),
           ("/i\\j", 5), ('/k"l', 6), ("/ ", 7), ("/m~0n", 8)]

RFC7396 = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]

SEMVER_ORDER = [["1.0.0", "2.0.0", "2.1.0", "2.1.1"],
                ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                 "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
                 "1.0.0-rc.1", "1.0.0"]]


def result(api, fn, inp):
    r = api.execute(fn, inp)
    assert r.status_code == 200, (fn, inp, r.text)
    return r.json()["result"]


@pytest.mark.parametrize("text,encoded", BASE64)
def test_base64_rfc4648(api, text, encoded):
    assert result(api, "base64", {"text": text}) == encoded
    assert result(api, "base64", {"text": encoded, "decode": True}) == text


@pytest.mark.parametrize("algorithm,text,digest", HASHES)
def test_hash_vectors(api, algorithm, text, digest):
    assert result(api, "hash", {"text": text,
                                "algorithm": algorithm}) == digest


@pytest.mark.parametrize("key,text,algorithm,mac", HMAC)
def test_hmac_rfc4231(api, key, text, algorithm, mac):
    assert result(api, "hmac", {"text": text, "key": key,
                                "algorithm": algorithm}) == mac


@pytest.mark.parametrize("pointer,value", RFC6901)
def test_json_pointer_rfc6901(api, pointer, value):
    assert result(api, "json_pointer", {"document": RFC6901_DOC,
                                        "pointer": pointer}) == value


@pytest.mark.parametrize("target,patch,merged", RFC7396)
def test_json_merge_patch_rfc7396(api, target, patch, merged):
    assert result(api, "json_merge_patch", {"target": target,
                                            "patch": patch}) == merged


@pytest.mark.parametrize("order", SEMVER_ORDER)
def test_semver_precedence(api, order):
    for (i, a), (j, b) in itertools.product(enumerate(order), repeat=2):
        want = (i > j) - (i < j)
        assert result(api, "semver_compare", {"a": a, "b": b}) == want, (a, b)
