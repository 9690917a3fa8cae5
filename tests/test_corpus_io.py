"""Matrix Market lines read back by gensim exactly as its own serializer's (runtime: < 1 s)."""

from gensim.corpora import MmCorpus

from scripts.preprocess.corpus_io import MM_HEADER, mm_lines


def test_our_matrix_market_reads_like_gensims(tmp_path):
    bows = [[(0, 2), (3, 1)], [], [(1, 5)], []]
    ours = tmp_path / "ours.mm"
    nnz = sum(len(b) for b in bows)
    ours.write_text(MM_HEADER + f"{len(bows)} 4 {nnz}\n" + mm_lines(bows, 0), encoding="utf-8")
    theirs = tmp_path / "theirs.mm"
    MmCorpus.serialize(str(theirs), bows, id2word={i: str(i) for i in range(4)})
    read = [[(int(i), int(c)) for i, c in doc] for doc in MmCorpus(str(ours))]
    assert read == [[(int(i), int(c)) for i, c in doc] for doc in MmCorpus(str(theirs))] == bows
    body = theirs.read_text(encoding="utf-8").splitlines()[2:]
    assert ours.read_text(encoding="utf-8").splitlines()[2:] == body
