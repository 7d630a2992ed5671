"""Which company a row is: credit code, then exact name; bad rows never remove (#13)."""

from __future__ import annotations

from pathlib import Path

import pytest
from registry_support import BOLUO, HUAYU, JUNENG, book, companies_by_id, db_of, make_config, run

from core.config import load_config
from ipwatch.cycle import run_cycle
from matcher.registry import RegistryError

HEADER = ["编号", "企业名称", "统一社会信用代码", "邮箱"]
A = ["惠州市聚能电池有限公司", JUNENG, "a@juneng.cn"]
B = ["惠州市华宇照明科技有限公司", HUAYU, "b@huayu.cn"]
C = ["惠州市博罗塑胶制品有限公司", BOLUO, "c@boluo.cn"]


@pytest.fixture
def config_path(tmp_path: Path) -> str:
    return make_config(tmp_path)


def test_a_serial_id_column_never_moves_a_company(config_path: str, tmp_path: Path) -> None:
    v1 = book(tmp_path / "v1.xlsx", {"名录": [HEADER, [1, *A], [2, *B], [3, *C]]})
    assert run(config_path, "import", str(v1), "--apply").exit_code == 0
    # Row 2 deleted: the serial numbers below it move up.
    v2 = book(tmp_path / "v2.xlsx", {"名录": [HEADER, [1, *A], [2, *C]]})
    result = run(config_path, "import", str(v2), "--apply")
    assert result.exit_code == 0, result.output
    assert (
        "v2.xlsx 工作表名录第3行 line 3: 编号变更 id changed 3 → 2（保留原编号 the company keeps 3)"
        in (result.output)
    )
    assert "- 将移除 would be removed  2  惠州市华宇照明科技有限公司" in result.output
    found = companies_by_id(config_path)
    assert (found["1"]["uscc"], found["3"]["uscc"]) == (JUNENG, BOLUO) and "2" not in found
    emails = dict(
        db_of(config_path)
        .execute("select company_id, email from company_contacts where removed_at = ''")
        .fetchall()
    )
    assert (emails["1"], emails["2"], emails["3"]) == ("a@juneng.cn", "b@huayu.cn", "c@boluo.cn")


def test_adding_an_id_column_keeps_every_company(config_path: str, tmp_path: Path) -> None:
    plain = [["企业名称", "邮箱"], ["TCL王牌电器（惠州）有限公司", "t@tcl.cn"], [A[0], A[2]]]
    assert run(config_path, "import", str(book(tmp_path / "n.xlsx", {"名录": plain})), "--apply")
    before = {c["name_zh"]: cid for cid, c in companies_by_id(config_path).items()}
    # The same sheet with an 编号 column, half-width brackets typed this time.
    numbered = [["编号", "企业名称", "邮箱"], ["HZ1", "TCL王牌电器(惠州)有限公司", "t@tcl.cn"]]
    numbered.append(["HZ2", A[0], A[2]])
    result = run(config_path, "import", str(book(tmp_path / "m.xlsx", {"名录": numbered})))
    assert "新增 added 0," in result.output and "移除 removed 0," in result.output
    assert f"编号变更 id changed {before[A[0]]} → HZ2" in result.output
    tcl = before["TCL王牌电器（惠州）有限公司"]
    assert f"编号变更 id changed {tcl} → HZ1" in result.output


def test_a_bad_row_keeps_the_company_it_names(config_path: str, tmp_path: Path) -> None:
    v1 = book(tmp_path / "v1.xlsx", {"名录": [HEADER, ["HZ1", *A], ["HZ2", *B], ["HZ3", *C]]})
    run(config_path, "import", str(v1), "--apply")
    # HZ2's id is mistyped and HZ3's email is broken: both stay, neither is removed.
    bad = [HEADER, ["HZ1", *A], ["HZ 2", *B], ["HZ3", C[0], C[1], "c@@boluo"]]
    result = run(config_path, "import", str(book(tmp_path / "v2.xlsx", {"名录": bad})), "--apply")
    assert result.exit_code == 1
    assert "移除 removed 0," in result.output and "错误行 bad rows 2" in result.output
    for cid, name in (("HZ2", B[0]), ("HZ3", C[0])):
        assert (
            f"= 保留 kept as is  {cid}  {name}  (有错误的行描述该企业 a bad row describes it)"
            in (result.output)
        )
    assert "编号无效 bad id 'HZ 2' (letters, digits, - and _ only)（列 column「编号」）" in (
        result.output
    )
    found = companies_by_id(config_path)
    assert set(found) >= {"HZ1", "HZ2", "HZ3"} and found["HZ3"]["contact_email"] == "c@boluo.cn"


def test_an_unreadable_configured_registry_ends_the_run_with_its_reason(
    tmp_path: Path,
) -> None:
    config_path = make_config(tmp_path)
    broken = tmp_path / "名录.xlsx"
    broken.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 512)
    text = Path(config_path).read_text(encoding="utf-8")
    Path(config_path).write_text(
        text.replace(str(tmp_path / "exporters.csv"), str(broken)), encoding="utf-8"
    )
    cfg = load_config(config_path)
    with pytest.raises(RegistryError, match="不是有效的 Excel 文件"):
        run_cycle(cfg, config_path)
    [(outcome, error)] = db_of(config_path).execute("select outcome, error from runs").fetchall()
    assert outcome == "error"
    assert error.startswith("registry: ") and "加密的工作簿或旧版 .xls" in error
