"""The strict YAML reader: YAML 1.2 scalars, refusals with locations, and no other exception, ever."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tracker.strict_yaml import MAX_FILE_BYTES, YamlRefused, parse_yaml_text, read_yaml_file


def test_yaml_1_1_traps_stay_strings():
    data = parse_yaml_text("a: NO\nb: 2019-03-14\nc: on\nd: yes\ne: 2019-03\nf: off\ng: y\n").data
    assert data == {"a": "NO", "b": "2019-03-14", "c": "on", "d": "yes", "e": "2019-03", "f": "off", "g": "y"}


def test_core_schema_scalars():
    data = parse_yaml_text("a: 5\nb: 1.5\nc: true\nd: ~\ne: '5'\nf: 0x10\n").data
    assert data == {"a": 5, "b": 1.5, "c": True, "d": None, "e": "5", "f": "0x10"}


def test_locations_of_values_and_keys():
    document = parse_yaml_text("title: x\nevents:\n  - date: '2019'\n    type: contract\n")
    assert document.value_locations[("events", 0, "date")] == (3, 11)
    assert document.key_locations[("events", 0, "type")] == (4, 5)
    assert document.locate(("events", 0, "missing")) == (3, 5)


@pytest.mark.parametrize("text, message, line", [
    ("a: 1\nb: 2\na: 3\n", "duplicate key 'a' (first at line 1)", 3),
    ("a: &x 1\nb: *x\n", "anchors (&x)", 1),
    ("a: [1, 2]\nb: !!binary aGk=\n", "tags", 2),
    ("a: !custom 1\n", "tags (!custom)", 1),
    ("? [a, b]\n: 1\n", "keys must be plain text", 1),
    ("1: one\n", "keys must be text", 1),
    ("a: [1, 2\n", "not valid YAML", 2),
])
def test_refusals_carry_line(text, message, line):
    with pytest.raises(YamlRefused) as caught:
        parse_yaml_text(text)
    assert message in caught.value.message
    assert caught.value.line == line


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * MAX_FILE_BYTES + "\n")
    with pytest.raises(YamlRefused, match="over the"):
        read_yaml_file(path)


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbftitle: x\n")
    assert read_yaml_file(path).data == {"title": "x"}


def test_billion_laughs_is_refused_at_the_first_anchor():
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n'
    with pytest.raises(YamlRefused, match="anchors"):
        parse_yaml_text(bomb)


YAMLISH = st.text(alphabet=st.sampled_from(list("ab:-&*!?[]{}'\"#|>%@`\t\n ,.0123456789~NOyes\\\x00\x07é")),
                  max_size=200)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), YAMLISH))
def test_arbitrary_text_raises_only_the_readers_error(text):
    try:
        parse_yaml_text(text)
    except YamlRefused as refused:
        assert refused.line >= 1 and refused.column >= 1


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_the_readers_error(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("bytes") / "x.yaml"
    path.write_bytes(raw)
    try:
        read_yaml_file(path)
    except YamlRefused:
        pass


def test_deep_nesting_does_not_recurse():
    depth = 20000
    try:
        parse_yaml_text("[" * depth + "]" * depth)
    except YamlRefused:
        pass
