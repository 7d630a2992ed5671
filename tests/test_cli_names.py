"""`ipwatch eval-names` on real Chinese–English pairs (#12), and the derived-name send gate."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from core.config import Config
from ipwatch.cli import cli
from matcher.extract import gate_status
from matcher.types import MatchResult, Party

TESTS = Path(__file__).parent
# 14 rows of ../shared/data/cn_en_company_pairs.csv, copied with their source column.
PAIRS = TESTS / "examples" / "names" / "cn_en_pairs_sample.csv"
CONFIG = str(TESTS / "config.test.yaml")


def test_eval_names_json_per_kind_and_overall() -> None:
    result = CliRunner().invoke(cli, ["eval-names", str(PAIRS), "--json", "--config", CONFIG])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    # pinyin, 8 rows: 7 at entity; MIANYANG FULIN PRECISION MACHINING ties with 绵阳富临精工
    # (both spelled as well) and stays at review with the right company in the tie.
    assert report["kinds"]["pinyin"] == {
        "n": 8,
        "right_entity": 0.875,
        "right_entity_or_review": 1.0,
        "wrong_entity": 0.0,
        "wrong_review": 0.0,
    }
    # translated, 2 rows: Yunnan Tourism (place + industry, no trade name) at review; Double
    # Arrow (双箭 = double + arrow, CC-CEDICT) at review through the dictionary.
    assert report["kinds"]["translated"]["right_entity_or_review"] == 1.0
    assert report["kinds"]["translated"]["right_entity"] == 0.0
    # brand, 4 rows (ApicHope, AVIC, Joinworld, Desay): nothing reached, nothing wrong.
    assert report["kinds"]["brand"] == {
        "n": 4,
        "right_entity": 0.0,
        "right_entity_or_review": 0.0,
        "wrong_entity": 0.0,
        "wrong_review": 0.0,
    }
    assert report["overall"]["n"] == 14
    assert report["overall"]["right_entity"] == 0.5  # 7 of 14
    assert report["overall"]["wrong_entity"] == 0.0


def test_eval_names_text_and_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["eval-names", str(PAIRS), "--config", CONFIG])
    assert result.exit_code == 0
    assert "pinyin" in result.output and "overall 合计" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("name_zh,name_en\n惠州市聚能电池有限公司,Huizhou Juneng Battery Co., Ltd.\n")
    result = CliRunner().invoke(cli, ["eval-names", str(bad), "--config", CONFIG])
    assert result.exit_code == 1
    assert "bad.csv: missing columns province_or_city, kind" in result.output
    result = CliRunner().invoke(cli, ["eval-names", str(tmp_path / "none.csv"), "--config", CONFIG])
    assert result.exit_code == 1 and "pairs file not found" in result.output


def test_a_derived_name_is_never_sent_unconfirmed(cfg: Config) -> None:
    result = MatchResult(
        party=Party("Huizhou Juneng Battery Co., Ltd."),
        level="entity",
        score=0.99,
        company_id="A1",
        derived=True,
    )
    assert gate_status(cfg, result) == "pending"
