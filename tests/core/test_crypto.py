from __future__ import annotations

from core.crypto import decrypt, encrypt, keyed_hash


def test_encryption_round_trip_hides_the_value():
    token = encrypt("0102031234")
    assert "0102031234" not in token
    assert decrypt(token) == "0102031234"


def test_keyed_hash_is_stable_and_keyed(settings):
    first = keyed_hash("0102031234")
    assert first == keyed_hash("0102031234")
    settings.FIELD_HASH_KEY = "another-key"
    assert keyed_hash("0102031234") != first
