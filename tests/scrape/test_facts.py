"""Rules for reading the facts printed about one property, in every layout seen."""

from __future__ import annotations

from generator.scrape.facts import read_facts


def test_named_layout_glues_constraint_values_to_the_following_text() -> None:
    facts = read_facts(
        ["Maximum Length:", "254Bill Segment Information is a concatenation.Example:California -"]
    )
    assert facts.max_length == 254
    assert facts.description == "Bill Segment Information is a concatenation."
    assert facts.example == "California"


def test_constraints_on_their_own_lines() -> None:
    facts = read_facts(
        ["Minimum Value:", "0", "Maximum Value:99999999999.99", "Work Availability in Hours"]
    )
    assert (facts.minimum, facts.maximum) == (0, 99999999999.99)
    assert facts.description == "Work Availability in Hours"


def test_constraints_run_together_on_one_line() -> None:
    facts = read_facts(
        ["Minimum Value: -99999 Maximum Value: 99999 Message Number within the framework."]
    )
    assert (facts.minimum, facts.maximum) == (-99999, 99999)
    assert facts.description == "Message Number within the framework."


def test_exponent_maximum_becomes_an_integer() -> None:
    facts = read_facts(["Maximum Value: 9.999999999E9", "Amount"])
    assert facts.maximum == 9999999999 and isinstance(facts.maximum, int)


def test_enum_keeps_trailing_spaces_and_labels() -> None:
    facts = read_facts(
        [
            "Allowed Values:",
            '[ "C ", "P " ]Bill Status is the bill\'s status. * `C ` - Complete, * `P ` - PendingExample:C -',
        ]
    )
    assert facts.enum == ["C ", "P "]
    assert facts.enum_labels == {"C ": "Complete", "P ": "Pending"}
    assert facts.description == "Bill Status is the bill's status."
    assert facts.example == "C"


def test_multi_word_labels_end_at_the_next_item() -> None:
    facts = read_facts(
        ['Allowed Values: [ "C1CR", "C1RO" ]', "ACTION * `C1CR` - Credit Note, * `C1RO` - ReOpen"]
    )
    assert facts.enum_labels == {"C1CR": "Credit Note", "C1RO": "ReOpen"}
    assert facts.description == "ACTION"


def test_date_annotation_is_a_format_other_annotations_are_titles() -> None:
    assert read_facts(["(date)", "End Date"]).format == "date"
    assert read_facts(["(date-time)"]).format == "date-time"
    titled = read_facts(["(canRsnDesc)"])
    assert titled.title == "canRsnDesc" and titled.format is None


def test_multi_line_json_example_is_kept_whole() -> None:
    facts = read_facts(["Payload of the event.", "Example:", "{", '  "a": 1', "}"])
    assert facts.description == "Payload of the event."
    assert facts.example == '{\n  "a": 1\n}'
