"""The jieba tokenizer with the policy dictionary: whole terms, exact text, serialisation."""

from __future__ import annotations

import pytest
import spacy

from pipeline.nlp import CONFIGS_DIR
from pipeline.tokenizer import PolicyTokenizer, read_user_dictionary


@pytest.fixture(scope="module")
def tokenizer():
    tok = PolicyTokenizer(spacy.blank("zh").vocab)
    tok.initialize(user_dict=CONFIGS_DIR / "policy_dict.txt")
    return tok


@pytest.mark.parametrize(
    "text, term",
    [
        ("扎实推进法治政府建设", "法治政府"),
        ("全年新收行政复议案件1083件", "行政复议"),
        ("严格落实重大行政决策程序制度", "重大行政决策"),
        ("区法院驻街镇诉源治理工作站22个", "诉源治理"),
        ("依法治区办组织编印学习读本", "依法治区办"),
        ("推行首违不罚清单", "首违不罚"),
    ],
)
def test_tokenizer_policy_terms_come_out_whole(tokenizer, text, term):
    assert term in [t.text for t in tokenizer(text)]


@pytest.mark.parametrize("text", ["关于2024年的报告\r\n\r\n  一、成效\u3000\u3000全年办结12件。", "  ", "a b  c"])
def test_tokenizer_keeps_text_exactly(tokenizer, text):
    doc = tokenizer(text)
    assert doc.text == text
    assert all(token.idx + len(token.text) <= len(text) for token in doc)


def test_tokenizer_to_disk_round_trip(tokenizer, tmp_path):
    tokenizer.to_disk(tmp_path / "tok")
    loaded = PolicyTokenizer(spacy.blank("zh").vocab).from_disk(tmp_path / "tok")
    assert loaded.user_words == tokenizer.user_words
    text = "深化诉源治理，健全重大行政决策程序"
    assert [t.text for t in loaded(text)] == [t.text for t in tokenizer(text)]


def test_tokenizer_bytes_round_trip(tokenizer):
    loaded = PolicyTokenizer(spacy.blank("zh").vocab).from_bytes(tokenizer.to_bytes())
    assert loaded.user_words == tokenizer.user_words


def test_user_dictionary_reader_handles_comments_and_frequencies(tmp_path):
    path = tmp_path / "dict.txt"
    path.write_text("# comment\n法治政府\n依法治县办 50  # inline\n\n", encoding="utf-8")
    assert read_user_dictionary(path) == [("法治政府", None), ("依法治县办", 50)]


def test_tokenizer_unknown_segmenter_is_refused():
    with pytest.raises(ValueError, match="unknown segmenter"):
        PolicyTokenizer(spacy.blank("zh").vocab, segmenter="pkuseg")
