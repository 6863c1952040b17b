"""Traditional Chinese is generated, and the phrase table corrects what OpenCC gets wrong."""

from __future__ import annotations

import pytest

from quizapp.core.traditional import PHRASES, to_traditional


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        ("班级代码：", "班級代碼："),
        ("输入 6 位代码加入。", "輸入 6 位代碼加入。"),
        ("#MeToo讨论在没有政府干预的情况下不断扩大。", "#MeToo討論在沒有政府干預的情況下不斷擴大。"),
        ("把这些攻击与政府的打压联系起来。", "把這些攻擊與政府的打壓聯繫起來。"),
        ("为了支持官方媒体“性侵犯在中国不是问题”的说法", "為了支持官方媒體“性侵犯在中國不是問題”的說法"),
        ("对性别暴力幸存者缺乏支持", "對性別暴力倖存者缺乏支持"),
        ("据一份声明，北京警方称", "據一份聲明，北京警方稱"),
        ("受害者在中国的社交媒体上发布了指控", "受害者在中國的社交媒體上發布了指控"),
        ("已发布第 3 版。", "已發布第 3 版。"),
        ("起诉数据涵盖2013年至2017年", "起訴數據涵蓋2013年至2017年"),
        ("题干中的填空有：c1", "題幹中的填空有：c1"),
        ("题干的填空", "題幹的填空"),
        # OpenCC's own Taiwan usage stays where it is right
        ("退出登录", "登出"),
        ("用户名", "使用者名稱"),
        ("网络喷子", "網路噴子"),
    ],
)
def test_known_pairs_convert_as_a_taiwan_reader_writes_them(simplified, traditional):
    assert to_traditional(simplified) == traditional


def test_every_override_is_used_whole_and_is_traditional():
    for simplified, traditional in PHRASES.items():
        assert to_traditional(simplified) == traditional
        assert to_traditional(f"甲{simplified}乙") == f"甲{traditional}乙"


def test_the_interface_catalog_and_bank_text_share_one_conversion():
    from quizapp.core import catalogs, textnorm

    assert textnorm.to_traditional is catalogs.to_traditional is to_traditional
