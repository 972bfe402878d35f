"""Made-up names as people in Musi Banyuasin carry them: Malay and Javanese, by generation.

Indonesians here have no family name: one or two given names, often opened by Muhammad, Ahmad,
Siti or Nur. Spellings drift between documents (Muhammad, Muhamad, M.; Yusuf, Yusup), so a
word may list variants after the usual one, separated by "|": that drift is what the office's
duplicate finder has to see through.
"""

from __future__ import annotations

import random


def _pool(text: str) -> tuple[str, ...]:
    """Comma-separated entries (kept as text so the lists stay compact and easy to extend)."""
    return tuple(entry.strip() for entry in text.split(","))


# Openers of double names; the usual spelling first, then what clerks also type.
MALE_OPENERS = ("Muhammad|Muhamad|M.|Mohammad|Moh.", "Muhammad|Muhamad|M.", "Ahmad|Achmad")
FEMALE_OPENERS = ("Siti|Sity|St.", "Nur|Nurul")
JAVANESE_FEMALE_OPENERS = ("Sri", "Dwi", "Tri", "Siti|Sity")

# (born before 1970, 1970-1994, from 1995): names shift with fashion across generations.
MALAY_MALE = (
    _pool(
        "Abdullah, Zainal|Zaenal, Syamsuddin|Samsudin|Syamsudin, Ismail, Husin|Husein, "
        "Rasyid|Rasid, Hasan|Hasyan, Usman|Oesman, Yusuf|Yusup, Sulaiman|Sulaeman, Ibrahim, "
        "Kadir, Yunus, Harun, Jamil, Ramli, Basri, Hamid, Mahmud, Rozali|Rosali, Cik Mat, "
        "Dahlan"
    ),
    _pool(
        "Dedi|Dedy, Hendra, Agus, Yusuf|Yusup, Rudi|Rudy, Firdaus, Zulkifli|Zulkifly, "
        "Syahrial|Sahrial, Herman, Junaidi|Junaedi, Rizal, Darmawan, Iskandar, "
        "Jamaluddin|Jamaludin, Heri|Hery, Ilham, Rahmat|Rachmat, Fauzi|Fauzy, Sopian|Sofyan, "
        "Anton, Irwan, Hasbullah, Effendi|Efendi, Mansyur|Mansur"
    ),
    _pool(
        "Rizki|Rizky|Riski, Aditya, Fauzan, Dimas, Rafi|Rafie, Farhan, Ilham, Arya, Reza, "
        "Akbar, Alif, Daffa|Dafa, Fikri, Hafiz|Hafidz, Rangga, Fadli|Fadly, Ikhsan|Ihsan, "
        "Zaki, Galih, Yoga, Rehan|Raihan"
    ),
)
MALAY_FEMALE = (
    _pool(
        "Aminah, Fatimah|Fatima|Patimah, Zainab|Zaenab, Maimunah, Rohani|Rohaini, Halimah, "
        "Nurhayati|Nur Hayati, Rosidah, Saodah|Saudah, Khadijah|Kadijah, Salmah, Hindun, "
        "Rukiah|Rukiyah, Mariam|Maryam, Zubaidah, Asiah|Asiyah, Jamilah, Cik Ani"
    ),
    _pool(
        "Rini, Yulia|Yuliah, Desi|Desy, Eka, Lina, Yanti, Erna, Sari, Dewi, Rosmala, "
        "Herlina, Nurlela|Nurleli, Nurhayati|Nur Hayati, Rohani|Rohaini, Suryani, Marlina, "
        "Yusnida, Hartati, Ernawati, Lili|Lily, Rosita, Wati"
    ),
    _pool(
        "Nabila|Nabilah, Aisyah|Aisah|Aisya, Alya|Aliya, Zaskia|Zaskiya, Putri, "
        "Salsabila|Salsabilla, Azzahra|Az Zahra, Dinda, Keisha|Keysha, Anisa|Annisa, "
        "Fitri|Fitry, Tiara, Naura, Aulia|Aulya, Rahma|Rahmah, Intan, Cahaya, Adinda, "
        "Khairunnisa|Khoirunnisa"
    ),
)
JAVANESE_MALE = (
    _pool(
        "Sutrisno|Soetrisno, Slamet, Paiman, Tukiman, Sumarno|Soemarno, Wagiman, Karto, "
        "Suparno|Soeparno, Mulyono, Sukardi|Soekardi, Parjo, Sastro, Kasiran, Ngadimin, "
        "Sarmin, Tumijo"
    ),
    _pool(
        "Joko, Budi, Wahyudi, Sugiyanto|Sugianto, Suryadi, Eko, Bambang, Heru, Teguh, "
        "Purwanto, Agus, Supriyadi|Supriadi, Sutarno, Widodo, Sunarto, Rohmat|Rochmat"
    ),
    _pool(
        "Bagas, Dimas, Yoga, Rizki|Rizky, Galih, Aji, Bayu, Dwi Saputra, Eko Prasetyo, "
        "Fajar, Wahyu, Danang, Arif|Arief"
    ),
)
JAVANESE_FEMALE = (
    _pool(
        "Painem, Sukinah, Tumini, Ngatini, Sumiati|Sumiyati, Wartini, Sulastri, Paijem, "
        "Suminah, Karsini, Wagiyem, Sarinah, Tukinem, Marsini"
    ),
    _pool(
        "Wahyuni, Rahayu, Endang, Suryani, Wulandari, Maryam|Mariam, Lestari, "
        "Yuliani|Yuliyani, Ernawati, Sumarni, Puji Astuti, Sulistiyowati|Sulistyowati, "
        "Winarsih, Suprapti"
    ),
    _pool(
        "Ayu, Dewi, Putri, Anggraini|Anggraeni, Wulan, Novita|Novitasari, Ratna, "
        "Fitriani|Fitriyani, Indah, Nabila|Nabilah, Aisyah|Aisah, Dinda"
    ),
)

# Second words of double names, shared by both cultures (Islamic names travel with everyone).
MALE_SECONDS = _pool(
    "Yusuf|Yusup, Rizki|Rizky, Fauzi|Fauzy, Ridwan, Hasan, Ali, Ikhsan|Ihsan, "
    "Sholeh|Soleh|Saleh, Arifin, Hidayat, Nasir, Rahman|Rachman, Hakim, Amin, "
    "Syukri|Sukri, Zaki, Fadli|Fadly, Habibi|Habiby"
)
FEMALE_SECONDS = _pool(
    "Aminah, Hasanah|Hasana, Fatimah|Fatima, Aisyah|Aisah, Khadijah|Kadijah, Rahmawati, "
    "Hayati, Zahra|Zahrah, Jannah|Janah, Halimah, Aini|Aeni, Lestari, Maryam|Mariam, "
    "Rohani|Rohaini, Nurjanah|Nurjannah, Wahyuni"
)


def _generation(birth_year: int) -> int:
    if birth_year < 1970:
        return 0
    return 1 if birth_year < 1995 else 2


def _spell(word: str, rng: random.Random) -> str:
    """One spelling of a word: usually the first variant, sometimes another one."""
    if "|" not in word:
        return word
    variants = word.split("|")
    if rng.random() < 0.8:
        return variants[0]
    return rng.choice(variants[1:])


def person_name(rng: random.Random, sex: str, birth_year: int, javanese: bool) -> str:
    """A given name (one or two words) for someone of this sex, birth year and background."""
    generation = _generation(birth_year)
    male = sex == "L"
    if javanese:
        pool = (JAVANESE_MALE if male else JAVANESE_FEMALE)[generation]
    else:
        pool = (MALAY_MALE if male else MALAY_FEMALE)[generation]
    first = _spell(rng.choice(pool), rng)
    roll = rng.random()
    if male and roll < 0.3:
        # "Muhammad Rizki", "Ahmad Fauzi": an opener before the given name.
        return f"{_spell(rng.choice(MALE_OPENERS), rng)} {first}"
    if not male and roll < 0.3:
        openers = JAVANESE_FEMALE_OPENERS if javanese else FEMALE_OPENERS
        return f"{_spell(rng.choice(openers), rng)} {first}"
    if roll < 0.45 and " " not in first:
        seconds = MALE_SECONDS if male else FEMALE_SECONDS
        second = _spell(rng.choice(seconds), rng)
        if second != first:
            return f"{first} {second}"
    return first


def _variant_table() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    pools = (
        MALE_OPENERS,
        FEMALE_OPENERS,
        JAVANESE_FEMALE_OPENERS,
        MALE_SECONDS,
        FEMALE_SECONDS,
        *MALAY_MALE,
        *MALAY_FEMALE,
        *JAVANESE_MALE,
        *JAVANESE_FEMALE,
    )
    for pool in pools:
        for word in pool:
            variants = tuple(word.split("|"))
            for v in variants:
                if len(variants) > 1:
                    table[v] = variants
    return table


VARIANTS = _variant_table()


def respell(name: str, rng: random.Random) -> str:
    """The same name as another clerk would type it: a common variant spelling if it has one."""
    words = name.split(" ")
    # Spans of two words first, so "Nur Hayati" can become "Nurhayati" and back.
    for size in (2, 1):
        spots = [
            i for i in range(len(words) - size + 1) if " ".join(words[i : i + size]) in VARIANTS
        ]
        if spots:
            i = rng.choice(spots)
            span = " ".join(words[i : i + size])
            other = rng.choice([v for v in VARIANTS[span] if v != span])
            return " ".join([*words[:i], other, *words[i + size :]])
    # Dedi / Dedy, Nabila / Nabilah: the commonest slips at the end of a name.
    last = words[-1]
    if last.endswith("i"):
        words[-1] = last[:-1] + "y"
    elif last.endswith("y"):
        words[-1] = last[:-1] + "i"
    elif last.endswith("ah"):
        words[-1] = last[:-1]
    elif last.endswith("a"):
        words[-1] = last + "h"
    return " ".join(words)


# Places people were born: the regency's towns, the province, and the Javanese homelands of
# the transmigration villages.
MUBA_BIRTH_PLACES = ("Sekayu", "Palembang", "Sungai Lilin", "Bayung Lencir", "Babat Toman")
JAVANESE_BIRTH_PLACES = _pool(
    "Sragen, Wonogiri, Purworejo, Kebumen, Klaten, Boyolali, Blitar, Ngawi, Ponorogo, Banyumas"
)

KUBE_NAMES = _pool(
    "Karya Bersama, Maju Jaya, Sumber Rezeki, Tunas Harapan, Bina Usaha, Sejahtera, "
    "Mekar Sari, Sinar Harapan, Berkah Mandiri, Serasan Sekate, Bumi Serasan, "
    "Usaha Tani Makmur, Kembang Melati, Rukun Santoso, Mandiri Sejahtera"
)
ORPHANAGE_NAMES = _pool(
    "Panti Asuhan Al-Ikhlas, Panti Asuhan Nurul Huda, Panti Asuhan Darul Aitam, "
    "Panti Asuhan Budi Mulia, Panti Asuhan Putra Harapan"
)
STREETS = _pool(
    "Jl. Merdeka, Jl. Kolonel Wahid Udin, Jl. Lintas Timur, Jl. Lintas Sumatera, "
    "Jl. Sekayu-Palembang, Jl. Sudirman, Jl. Masjid, Lrg. Mawar, Lrg. Damai, "
    "Lrg. Sepakat, Jl. Pendidikan, Jl. Pasar"
)
