from gongkai.interaction import screening
from gongkai.interaction.models import SensitiveWord

VALID_ID = "331124198506120027"  # checksum per GB 11643


def test_id_number_checksum():
    assert screening.id_number_valid(VALID_ID)
    assert not screening.id_number_valid("331124198506120021")


def test_personal_data_is_masked():
    text = (
        f"我的身份证号{VALID_ID}，手机13905781234，邮箱wu.xiuying@example.com，"
        "银行卡6222021234567890128，住在紫荆路12号3幢502室，固话0578-8061234。"
    )
    result = screening.screen(text)
    kinds = {f.kind for f in result.findings}
    assert {"id_number", "mobile", "email", "bank_card", "address", "landline"} <= kinds
    assert VALID_ID not in result.masked
    assert "13905781234" not in result.masked and "139****1234" in result.masked
    assert "wu.xiuying@example.com" not in result.masked
    assert "6222021234567890128" not in result.masked
    assert "12号3幢502室" not in result.masked
    assert "8061234" not in result.masked


def test_invalid_id_and_non_luhn_numbers_are_not_flagged():
    result = screening.screen("文号331124198506120021，编号1234567890123456")
    assert not [f for f in result.findings if f.kind in ("id_number", "bank_card")]


def test_known_contact_data_is_masked():
    result = screening.screen("吴秀英反映的问题", known=["吴秀英"])
    assert "吴秀英" not in result.masked and result.masked.startswith("吴**")


def test_sensitive_words_default_list_and_database(db):
    assert screening.screen("这里有网络赌博广告").sensitive_words == ["网络赌博"]
    SensitiveWord.objects.create(word="黑中介")
    screening.invalidate()
    result = screening.screen("小区门口有黑中介")
    assert result.sensitive_words == ["黑中介"]
    assert "黑中介" not in result.masked


def test_clean_text():
    result = screening.screen("建议增加县城到古市镇的公交班次")
    assert result.clean and result.masked == result.original
