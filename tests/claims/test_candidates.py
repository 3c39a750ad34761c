from factcheck.lib.candidates import find_candidates, split_sentences
from factcheck.lib.text_repair import decode_text, repair_text


def seed_text(seed_bytes: bytes) -> str:
    return repair_text(decode_text(seed_bytes))


def candidate_containing(candidates, fragment):
    matches = [c for c in candidates if fragment in c.quote]
    assert matches, f"no candidate contains {fragment!r}"
    return matches[0]


def test_every_candidate_span_round_trips_exactly(seed_bytes):
    text = seed_text(seed_bytes)
    candidates = find_candidates(text)

    assert candidates
    for candidate in candidates:
        assert text[candidate.start : candidate.end] == candidate.quote


def test_recognition_and_diplomatic_relations_sentence_is_found_with_both_dates(seed_bytes):
    candidate = candidate_containing(find_candidates(seed_text(seed_bytes)), "28 Desember 1991")

    assert "date: 28 Desember 1991" in candidate.reasons
    assert "date: 11 Juni 1992" in candidate.reasons
    assert "place: Indonesia" in candidate.reasons


def test_asem_founding_sentence_is_found_with_year_and_place(seed_bytes):
    candidate = candidate_containing(find_candidates(seed_text(seed_bytes)), "didirikan di Bangkok")

    assert "date: tahun 1996" in candidate.reasons
    assert "place: Bangkok" in candidate.reasons
    assert "organisation: Asia-Europe Meeting (ASEM)" in candidate.reasons


def test_asem_partners_sentence_is_found_with_its_numbers(seed_bytes):
    candidate = candidate_containing(find_candidates(seed_text(seed_bytes)), "53 negara mitra")

    assert "number: 53 negara mitra" in candidate.reasons
    assert "number: 21 negara" in candidate.reasons
    assert "organisation: Sekretariat ASEAN" in candidate.reasons


def test_footnote_markers_are_not_numbers(seed_bytes):
    for candidate in find_candidates(seed_text(seed_bytes)):
        assert not any(reason in ("number: 1", "number: 2") for reason in candidate.reasons)


def test_decimal_numbers_dates_and_abbreviations_do_not_break_sentences():
    text = "Menurut Dr. Budi, harga naik Rp 1.672 per liter (29/11/2025). Sebanyak 297 orang hadir."

    sentences = [s.text for s in split_sentences(text)]

    assert sentences == [
        "Menurut Dr. Budi, harga naik Rp 1.672 per liter (29/11/2025).",
        "Sebanyak 297 orang hadir.",
    ]


def test_initials_do_not_end_a_sentence():
    assert [s.text for s in split_sentences("Opini Adam E. Casey terbit. Lalu dibahas.")] == [
        "Opini Adam E. Casey terbit.",
        "Lalu dibahas.",
    ]


def test_quantities_and_numeric_dates_are_reasons():
    candidates = find_candidates(
        "Pemerintah menyiapkan Rp 400 miliar pada (29/11/2025). Sebanyak 297 orang dievakuasi."
    )

    assert candidates[0].reasons[:2] == ["date: 29/11/2025", "number: Rp 400 miliar"]
    assert candidates[1].reasons == ["number: 297 orang dievakuasi"]


def test_a_sentence_without_checkable_content_is_not_proposed():
    assert find_candidates("ini hanya pendapat saja. menurut saya bagus.") == []


# --- template text and ranking (issue 17) --------------------------------------------------


def test_fact_check_labels_rules_and_links_are_never_part_of_a_candidate():
    text = (
        "[SALAH] Najwa Shihab Diteror\n=======\n[KATEGORI] Konten yang Menyesatkan\n=======\n"
        "[SUMBER] Facebook https://www.facebook.com/contoh\n=======\n"
        "[PENJELASAN] Prabowo sempat menarik kerah jaket Menteri Investasi Bahlil Lahadalia di Jakarta. "
        "Hingga 22 Desember 2023 tidak ada laporan polisi.\n=======\n[REFERENSI]\nhttps://www.narasi.tv/contoh\n"
    )

    candidates = find_candidates(text)

    quotes = [c.quote for c in candidates]
    assert quotes == [
        "Prabowo sempat menarik kerah jaket Menteri Investasi Bahlil Lahadalia di Jakarta.",
        "Hingga 22 Desember 2023 tidak ada laporan polisi.",
    ]
    assert not any(reason.startswith("organisation: KATEGORI") for c in candidates for reason in c.reasons)


def test_a_dateline_is_not_glued_to_the_first_sentence_and_names_no_organisation():
    text = "TRIBUNNEWS.COM, AMBON - Banjir merendam 312 rumah di Kota Ambon pada Kamis (6/6/2024).\n"

    [candidate] = find_candidates(text)

    assert candidate.quote == "Banjir merendam 312 rumah di Kota Ambon pada Kamis (6/6/2024)."
    assert not any("TRIBUNNEWS" in reason or "COM" in reason.split(": ")[1] for reason in candidate.reasons)


def test_baca_juga_lines_are_never_candidates():
    text = "Baca juga: Harga Cabai Naik 40 Persen di Jakarta pada 2024\nHarga beras naik 5 persen, kata BPS."

    assert [c.quote for c in find_candidates(text)] == ["Harga beras naik 5 persen, kata BPS."]


def test_attributed_figures_rank_above_a_bare_name():
    from factcheck.lib.candidates import rank_candidates

    text = (
        "Warga Kota Ambon berkumpul di Lapangan Merdeka. "
        "Menurut BPS, inflasi Maluku naik menjadi 3,1 persen pada Desember 2023."
    )

    ranked = rank_candidates(find_candidates(text))

    assert ranked[0].quote.startswith("Menurut BPS")
    assert "attribution: menurut" in ranked[0].reasons


def test_questions_and_appeals_are_not_proposed():
    text = "Apakah benar 300 orang tewas di Jakarta? Jangan sebarkan kabar 300 korban di Jakarta sebelum dicek."

    assert find_candidates(text) == []


def test_a_claim_of_rank_is_proposed_without_a_figure():
    text = "Kemiskinan di daerah itu menjadi yang terparah se-Sumatra. Paling tidak begitu kata warga di sana."

    candidates = find_candidates(text)

    assert [c.quote for c in candidates] == ["Kemiskinan di daerah itu menjadi yang terparah se-Sumatra."]
    assert "superlative: terparah" in candidates[0].reasons


def test_a_denial_on_the_record_is_proposed_and_an_unattributed_one_is_not():
    text = (
        "Pihak rumah sakit membantah pernah menolak pasien peserta BPJS, ujar juru bicaranya. "
        "Kabar itu tidak benar dan tidak ada buktinya."
    )

    candidates = find_candidates(text)

    assert [c.quote for c in candidates] == [
        "Pihak rumah sakit membantah pernah menolak pasien peserta BPJS, ujar juru bicaranya."
    ]
    assert "denial: membantah" in candidates[0].reasons


def test_the_reach_of_a_post_ranks_below_the_claim_it_spreads():
    from factcheck.lib.candidates import rank_candidates

    text = (
        "Video itu sudah ditonton lebih dari 300 ribu kali di TikTok sejak 2 Mei 2024. "
        "Dalam video itu disebutkan harga beras naik menjadi Rp 20.000 per kilogram."
    )

    ranked = rank_candidates(find_candidates(text))

    assert ranked[0].quote.startswith("Dalam video itu disebutkan harga beras")
    assert "against: the reach of a post" in ranked[-1].reasons


def test_where_a_post_circulated_is_not_a_name_and_appeals_are_not_proposed():
    text = "Beredar unggahan di Facebook dan WhatsApp yang meresahkan. Warga diminta tidak panik menghadapi 3 isu itu."

    assert find_candidates(text) == []


def test_a_comparison_with_its_reference_is_proposed_and_codes_are_not_quantities():
    text = "Ongkos kirim kini lebih mahal dibandingkan tahun lalu. Ponsel 5G itu dijual bebas."

    candidates = find_candidates(text)

    assert [c.quote for c in candidates] == ["Ongkos kirim kini lebih mahal dibandingkan tahun lalu."]
    assert "compared with: lebih mahal dibandingkan" in candidates[0].reasons


def test_in_a_fact_check_what_the_post_says_is_not_a_source_on_record():
    sentence = "Foto itu disebut diambil di Kota Kupang."

    in_news = find_candidates(sentence)
    in_fact_check = find_candidates(f"[NARASI] “Antrean solar di Kupang sepanjang 3 kilometer.”\n{sentence}")

    assert in_news[0].reasons == ["name: Kota Kupang", "attribution: disebut"]
    assert [c.quote for c in in_fact_check] == ["“Antrean solar di Kupang sepanjang 3 kilometer.”"]


def test_headlines_in_sentence_case_and_a_short_first_line_are_titles_not_candidates():
    text = (
        "Korban tsunami di Palu meningkat di atas 800.\n"
        "Jumlah korban tewas akibat gempa dan tsunami di Palu naik menjadi 832 orang pada hari Minggu, kata BNPB.\n"
        "Bantuan mulai tiba di Sulawesi Tengah\n"
        "Pemerintah mengirim 3 pesawat Hercules ke Palu pada 30 September 2018."
    )

    quotes = [c.quote for c in find_candidates(text)]

    assert quotes == [
        "Jumlah korban tewas akibat gempa dan tsunami di Palu naik menjadi 832 orang pada hari Minggu, kata BNPB.",
        "Pemerintah mengirim 3 pesawat Hercules ke Palu pada 30 September 2018.",
    ]


def test_quoted_words_in_the_first_person_are_proposed_only_with_a_date_or_a_figure():
    text = (
        "“Saya melihat Kante datang dan langsung menendang bola,” kata Sturridge di London. "
        "“Kami menerima 1.200 laporan sejak Senin,” kata juru bicara Polda Metro Jaya."
    )

    quotes = [c.quote for c in find_candidates(text)]

    assert quotes == ["“Kami menerima 1.200 laporan sejak Senin,” kata juru bicara Polda Metro Jaya."]


def test_a_forecast_is_proposed_only_when_someone_is_quoted_making_it():
    text = (
        "Harga cabai di Yogyakarta diperkirakan naik lagi pekan depan. "
        "Bupati Ruli menyebut perbaikan jembatan Cikarang akan memakai dana tak terduga pemerintah kabupaten."
    )

    quotes = [c.quote for c in find_candidates(text)]

    assert quotes == [
        "Bupati Ruli menyebut perbaikan jembatan Cikarang akan memakai dana tak terduga pemerintah kabupaten."
    ]


def test_a_post_pasted_without_a_full_stop_and_a_claim_under_check_are_not_titles():
    assert [c.quote for c in find_candidates("Vaksin Sinovac mengandung chip 5G buatan China sejak 2021")] == [
        "Vaksin Sinovac mengandung chip 5G buatan China sejak 2021"
    ]
    claim = "Presiden Jokowi meresmikan 12 bendungan di Jawa Tengah pada 2023"
    fact_check = f"[NARASI]\n{claim}\n[PENJELASAN]\nTidak benar."

    assert claim in [c.quote for c in find_candidates(fact_check)]


def test_a_day_and_month_or_a_named_month_without_the_year_is_a_date():
    text = "Pada bulan Juni kepala penjara dirawat setelah diserang. Gedung itu dibuka pada 28 Desember lalu."

    reasons = {c.quote: c.reasons for c in find_candidates(text)}

    assert "date: bulan Juni" in reasons["Pada bulan Juni kepala penjara dirawat setelah diserang."]
    assert "date: 28 Desember" in reasons["Gedung itu dibuka pada 28 Desember lalu."]


def test_the_lines_of_a_post_pasted_without_any_full_stop_are_not_titles():
    lines = ["Vaksin Sinovac mengandung chip 5G buatan China sejak 2021", "Sudah 300 orang di Bekasi meninggal"]
    post = "\n".join(lines)

    assert [c.quote for c in find_candidates(post)] == lines
