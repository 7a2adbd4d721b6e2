"""The published test vectors of the standards that define catalog
functions, over HTTP, typed in from the documents (not computed by a
reference); each case's id names the section it comes from:

- base64: RFC 4648 section 10, both directions. RFC 4648 section 10 also
  gives base32 and base32hex vectors, but no catalog function encodes
  base32 (base64 has no such option; base_convert writes integers), so
  they have nothing to run against;
- hash: MD5 (all seven of RFC 1321 A.5); SHA-1, SHA-224, SHA-256 (FIPS
  180-2 appendices A-C: "abc", the two-block 448-bit message and one
  million 'a', which fits hash's 1,000,000-character text limit and the
  1 MiB body), SHA-384 and SHA-512 (FIPS 180-2 appendices D-E: "abc", the
  896-bit message, one million 'a'); SHA3-256 (the FIPS 202 examples of
  NIST's Cryptographic Standards and Guidelines: the empty message, "abc",
  448 and 896 bits, one million 'a'); BLAKE2b-512 (RFC 7693 appendix A);
  the CRC-32 check value (ISO-HDLC / zlib, "123456789");
- hmac: RFC 4231 test cases 1, 2 and 5 for HMAC-SHA-224/256/384/512 (case
  5 truncated to its first 128 bits, as the RFC prints it). Cases 3, 4, 6
  and 7 cannot run by design: hmac takes key and text as JSON strings and
  hashes their UTF-8 bytes, and those cases' key (0xaa bytes) or data
  (0xdd or 0xcd bytes) are not UTF-8, so no JSON string encodes them;
- json_pointer: RFC 6901 section 5, the JSON string form (every row).
  json_pointer takes the pointer itself, not its URI fragment form
  (its description says so), so the section's fragment column has no
  function to run against;
- json_merge_patch: RFC 7396 appendix A (all 15 rows); json_patch: RFC 6902
  appendix A runs in test_peer_json_patch.py, whose spec_tests.json holds
  A.1-A.16 (A.13 cannot run there, see its SKIPPED);
- semver_compare: the precedence examples of SemVer 2.0.0 section 11, every
  pair of each chain both ways.
"""
import itertools

import pytest

ABC448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
ABC896 = ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
          "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")
MILLION_A = "a" * 1000000
P = pytest.param

BASE64 = [P("", "", id="rfc4648-s10-empty"),
          P("f", "Zg==", id="rfc4648-s10-f"),
          P("fo", "Zm8=", id="rfc4648-s10-fo"),
          P("foo", "Zm9v", id="rfc4648-s10-foo"),
          P("foob", "Zm9vYg==", id="rfc4648-s10-foob"),
          P("fooba", "Zm9vYmE=", id="rfc4648-s10-fooba"),
          P("foobar", "Zm9vYmFy", id="rfc4648-s10-foobar")]

HASHES = [
    P("md5", "", "d41d8cd98f00b204e9800998ecf8427e", id="rfc1321-A.5-1"),
    P("md5", "a", "0cc175b9c0f1b6a831c399e269772661", id="rfc1321-A.5-2"),
    P("md5", "abc", "900150983cd24fb0d6963f7d28e17f72", id="rfc1321-A.5-3"),
    P("md5", "message digest", "f96b697d7cb7938d525a2f31aaf161d0",
      id="rfc1321-A.5-4"),
    P("md5", "abcdefghijklmnopqrstuvwxyz",
      "c3fcd3d76192e4007dfb496cca67e13b", id="rfc1321-A.5-5"),
    P("md5", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
      "d174ab98d277d9f5a5611c2c9f419d9f", id="rfc1321-A.5-6"),
    P("md5", "1234567890" * 8, "57edf4a22be3c955ac49da2e2107b67a",
      id="rfc1321-A.5-7"),
    # FIPS 180's examples; the empty message's digests are the ones
    # NIST's example files and RFC 6234 list
    P("sha1", "", "da39a3ee5e6b4b0d3255bfef95601890afd80709",
      id="sha1-empty"),
    P("sha1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d",
      id="fips180-A.1-abc"),
    P("sha1", ABC448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
      id="fips180-A.2-448bit"),
    P("sha1", MILLION_A, "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
      id="fips180-A.3-million-a"),
    P("sha224", "abc",
      "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7",
      id="fips180-sha224-abc"),
    P("sha224", ABC448,
      "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525",
      id="fips180-sha224-448bit"),
    P("sha224", MILLION_A,
      "20794655980c91d8bbb4c1ea97618a4bf03f42581948b2ee4ee7ad67",
      id="fips180-sha224-million-a"),
    P("sha256", "",
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      id="sha256-empty"),
    P("sha256", "abc",
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      id="fips180-B.1-abc"),
    P("sha256", ABC448,
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
      id="fips180-B.2-448bit"),
    P("sha256", MILLION_A,
      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
      id="fips180-B.3-million-a"),
    P("sha384", "abc",
      "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
      "8086072ba1e7cc2358baeca134c825a7", id="fips180-D.1-abc"),
    P("sha384", ABC896,
      "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712"
      "fcc7c71a557e2db966c3e9fa91746039", id="fips180-D.2-896bit"),
    P("sha384", MILLION_A,
      "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b"
      "07b8b3dc38ecc4ebae97ddd87f3d8985", id="fips180-D.3-million-a"),
    P("sha512", "abc",
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
      id="fips180-C.1-abc"),
    P("sha512", ABC896,
      "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
      "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909",
      id="fips180-C.2-896bit"),
    P("sha512", MILLION_A,
      "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
      "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b",
      id="fips180-C.3-million-a"),
    P("sha3_256", "",
      "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a",
      id="fips202-example-0bit"),
    P("sha3_256", "abc",
      "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
      id="fips202-example-abc"),
    P("sha3_256", ABC448,
      "41c0dba2a9d6240849100376a8235e2c82e1b9998a999e21db32dd97496d3376",
      id="fips202-example-448bit"),
    P("sha3_256", ABC896,
      "916f6061fe879741ca6469b43971dfdb28b1a32dc36cb3254e812be27aad1d18",
      id="fips202-example-896bit"),
    P("sha3_256", MILLION_A,
      "5c8875ae474a3634ba4fd55ec85bffd661f32aca75c6d699d0cdcb6c115891c1",
      id="fips202-example-million-a"),
    P("blake2b", "abc",
      "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
      "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
      id="rfc7693-appendix-A-abc"),
    P("crc32", "123456789", "cbf43926", id="crc32-check-value"),
]

# RFC 4231 section 4: (key, data) of test cases 1, 2 and 5
RFC4231_KEYS = {1: ("\x0b" * 20, "Hi There"),
                2: ("Jefe", "what do ya want for nothing?"),
                5: ("\x0c" * 20, "Test With Truncation")}
RFC4231 = {
    (1, "sha224"): "896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22",
    (1, "sha256"): "b0344c61d8db38535ca8afceaf0bf12b"
                   "881dc200c9833da726e9376c2e32cff7",
    (1, "sha384"): "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec6"
                   "82aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
    (1, "sha512"): "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
                   "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
    (2, "sha224"): "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44",
    (2, "sha256"): "5bdcc146bf60754e6a042426089575c7"
                   "5a003f089d2739839dec58b964ec3843",
    (2, "sha384"): "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47"
                   "e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
    (2, "sha512"): "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                   "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
    # case 5 is printed truncated to 128 bits
    (5, "sha224"): "0e2aea68a90c8d37c988bcdb9fca6fa8",
    (5, "sha256"): "a3b6167473100ee06e0c796c2955552b",
    (5, "sha384"): "3abf34c3503b2a23a46efc619baef897",
    (5, "sha512"): "415fad6271580a531d4179bc891d87a6",
}
HMAC = [P(RFC4231_KEYS[case][0], RFC4231_KEYS[case][1], alg, mac,
          id="rfc4231-4.%d-case%d-%s" % (case + 1, case, alg))
        for (case, alg), mac in sorted(RFC4231.items())]

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


def test_every_row_is_there():
    """RFC 6901 section 5 has 12 rows, RFC 7396 appendix A 15, RFC 1321
    A.5 seven, RFC 4231 three usable cases for four hashes."""
    assert len(RFC6901) == 12 and len(RFC7396) == 15
    assert len([h for h in HASHES if h.values[0] == "md5"]) == 7
    assert len(HMAC) == 12


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
    assert len(text) <= 1000000  # hash's text limit
    assert result(api, "hash", {"text": text,
                                "algorithm": algorithm}) == digest


@pytest.mark.parametrize("key,text,algorithm,mac", HMAC)
def test_hmac_rfc4231(api, key, text, algorithm, mac):
    got = result(api, "hmac", {"text": text, "key": key,
                               "algorithm": algorithm})
    full = {"sha224": 56, "sha256": 64, "sha384": 96, "sha512": 128}
    assert len(got) == full[algorithm], got
    if len(mac) == 32:  # RFC 4231 case 5: the left-most 128 bits
        got = got[:32]
    assert got == mac


@pytest.mark.parametrize("pointer,value", [
    P(ptr, v, id="rfc6901-s5-%r" % ptr) for ptr, v in RFC6901])
def test_json_pointer_rfc6901(api, pointer, value):
    assert result(api, "json_pointer", {"document": RFC6901_DOC,
                                        "pointer": pointer}) == value


@pytest.mark.parametrize("target,patch,merged", [
    P(*row, id="rfc7396-appendix-A-row%d" % (i + 1))
    for i, row in enumerate(RFC7396)])
def test_json_merge_patch_rfc7396(api, target, patch, merged):
    assert result(api, "json_merge_patch", {"target": target,
                                            "patch": patch}) == merged


@pytest.mark.parametrize("order", [
    P(o, id="semver2-s11-chain%d" % (i + 1))
    for i, o in enumerate(SEMVER_ORDER)])
def test_semver_precedence(api, order):
    assert len(order) in (4, 8)  # 11.2's four, 11.4's eight
    for (i, a), (j, b) in itertools.product(enumerate(order), repeat=2):
        want = (i > j) - (i < j)
        assert result(api, "semver_compare", {"a": a, "b": b}) == want, (a, b)
