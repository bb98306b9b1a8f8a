"""diffbound.kl: the numbers of `diffbound kl CASE --json`, digit for digit, from a path, a TOML string and a
dict; the CLI's error messages as ValueError."""
import decimal
import pathlib
import tomllib

import pytest

import diffbound
from conftest import cli, cli_json, without_timings

EXAMPLES = ["gaussian.toml", "mixture.toml", "zero-shot.toml"]


@pytest.mark.parametrize("name", EXAMPLES)
def test_kl_equals_cli_json(root, program, name):
    path = root / "examples" / name
    expected = cli_json(program, "kl", path, "--json")
    result = diffbound.kl(str(path))
    # the whole object (every enclosure's value, lo, hi and their decimal strings), timings aside
    assert without_timings(result.json) == without_timings(expected)
    assert result.kl.value_str == expected["kl"]["value_str"]


def test_kl_attributes_and_dict_access(root):
    r = diffbound.kl(root / "examples" / "gaussian.toml")  # os.PathLike
    assert r["kl"]["value"] == r.kl.value
    assert r.kl.lo <= r.kl.value <= r.kl.hi
    assert r.kl.certified is True
    assert float(r.kl.lo_str) == pytest.approx(r.kl.lo, rel=1e-15)
    assert r.descriptors.dim == 3 and r.case.target.dim == 3
    assert r.to_dict() == r.json and type(r.json["kl"]) is dict
    with pytest.raises(AttributeError, match="no field 'nope'"):
        r.kl.nope


def test_dict_and_toml_string_equal_the_file(root):
    path = root / "examples" / "gaussian.toml"
    from_file = without_timings(diffbound.kl(path).json)
    text = path.read_text()
    assert without_timings(diffbound.kl(text).json) == from_file
    with open(path, "rb") as f:
        table = tomllib.load(f)
    assert without_timings(diffbound.kl(table).json) == from_file


def test_dict_decimals_reach_the_engine_as_written():
    case = {"target": {"family": "gaussian", "dim": 2, "spectrum": "geometric", "kappa": 4, "mean": decimal.Decimal("0.1")},
            "schedule": {"kind": "etc", "steps": 20}, "sampler": {"kind": "ddpm", "variance": "theory"},
            "numerics": {"precision": "certified", "digits": 40}}
    as_text = """[target]
family = "gaussian"
dim = 2
spectrum = "geometric"
kappa = 4
mean = 0.1
[schedule]
kind = "etc"
steps = 20
[sampler]
kind = "ddpm"
variance = "theory"
[numerics]
precision = "certified"
digits = 40
"""
    a, b = diffbound.kl(case), diffbound.kl(as_text)
    assert a.kl.lo_str == b.kl.lo_str and a.kl.hi_str == b.kl.hi_str
    case["target"]["mean"] = 0.1  # a float: its repr, "0.1", is the same decimal
    assert diffbound.kl(case).kl.lo_str == b.kl.lo_str


def test_bad_key_message_equals_the_cli(root, program, tmp_path):
    text = (root / "examples" / "gaussian.toml").read_text().replace("dim = 3", "dimension = 3")
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    status, out, err = cli(program, "kl", bad, "--json")
    assert status == 2 and out == ""
    prefix = "diffbound kl: error: "
    assert err.startswith(prefix)
    with pytest.raises(ValueError) as e:
        diffbound.kl(bad)
    assert str(e.value) == err[len(prefix):].rstrip("\n")
    assert "dimension" in str(e.value)
    with pytest.raises(ValueError, match="dimension"):
        diffbound.kl(text)


def test_bad_value_and_missing_file_messages_equal_the_cli(root, program, tmp_path):
    bad = tmp_path / "dim0.toml"
    bad.write_text((root / "examples" / "gaussian.toml").read_text().replace("dim = 3", "dim = 0"))
    for path in (bad, tmp_path / "missing.toml"):
        status, _, err = cli(program, "kl", path)
        assert status == 2
        with pytest.raises(ValueError) as e:
            diffbound.kl(str(path))
        assert str(e.value) == err[len("diffbound kl: error: "):].rstrip("\n")
    assert "target.dim = 0" in str(pytest.raises(ValueError, diffbound.kl, bad).value)


def test_dict_values_toml_cannot_hold():
    with pytest.raises(ValueError, match=r"target\.mean = None: cannot be written in a case"):
        diffbound.kl({"target": {"family": "gaussian", "mean": None}})
    with pytest.raises(ValueError, match="a key must be a str"):
        diffbound.kl({"target": {1: 2}})
    with pytest.raises(TypeError, match="must be a dict, a TOML string or a path"):
        diffbound.kl(42)


def test_toml_syntax_error_is_a_value_error():
    # a TOML syntax error is bad input too (it names the line), never an internal error
    with pytest.raises(ValueError):
        diffbound.kl("[target\nfamily = 1\n")


def test_version():
    assert diffbound.__version__.count(".") == 2
    assert diffbound.__revision__
