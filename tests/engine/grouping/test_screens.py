"""Screens and pages told apart by what they show (grouping/screens.py): a student's check found
50 different chat screenshots in one group, all but one marked Remove, scanned pages of two
documents in another, and chats and pages proposed as "screenshots" of slide photos. Their
copies (a messenger's re-save, a byte copy) are still found."""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from dedup_gui.engine.grouping.frames import framed
from dedup_gui.engine.grouping.picture_cache import PictureCache
from dedup_gui.engine.grouping.pixels import region_of
from dedup_gui.engine.grouping.refute import SCREEN_AND_PHOTO, refute
from dedup_gui.engine.grouping.screens import NOT_SHOTS, TWO_SCREENS, two_screens
from dedup_gui.engine.grouping.verify import Verified, drop_screens
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache
from dedup_gui.engine.tiers import EDITED, RESAVED, SIMILAR, TIERS, Edge
from tests.engine.grouping.pictures import frame, scene

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
WORDS = ["entropy", "cycle", "pressure", "model", "value", "first", "law", "state", "table",
         "phase", "system", "energy", "heat", "point", "internal", "second", "volume", "work",
         "free", "solution", "ideal", "gas", "curve", "chart"]


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:  # no DejaVu here: Pillow's own font, still text of some size
        return ImageFont.load_default(size)


def chat(seed: int, size: tuple[int, int] = (540, 1170)) -> Image.Image:
    """A messenger screenshot: the app's bars and beige background, bubbles of other text."""
    rng = random.Random(seed)
    shot = Image.new("RGB", size, (236, 229, 221))
    draw = ImageDraw.Draw(shot)
    draw.rectangle((0, 0, size[0], 110), fill=(7, 94, 84))
    draw.text((90, 45), "Study group", fill="white", font=_font(30))
    draw.rectangle((0, size[1] - 90, size[0], size[1]), fill=(240, 240, 240))
    y = 140
    while y < size[1] - 200:
        mine = rng.random() < 0.5
        lines = [" ".join(rng.choice(WORDS) for _ in range(4)) for _ in range(rng.randint(1, 3))]
        height = 34 * len(lines) + 20
        left = 200 if mine else 20
        draw.rounded_rectangle((left, y, left + 320, y + height), 12,
                               fill=(220, 248, 198) if mine else (255, 255, 255))
        for n, line in enumerate(lines):
            draw.text((left + 14, y + 10 + 34 * n), line, fill=(20, 20, 20), font=_font(22))
        y += height + 18
    return shot


def page(seed: int, size: tuple[int, int] = (827, 1169)) -> Image.Image:
    """A scanned or exported page: a white sheet, a heading, paragraphs of other text."""
    rng = random.Random(seed)
    sheet = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(sheet)
    draw.text((80, 70), "RESIDENTIAL LEASE AGREEMENT", fill="black", font=_font(32))
    y = 150
    while y < size[1] - 120:
        for _ in range(rng.randint(3, 6)):
            draw.text((80, y), " ".join(rng.choice(WORDS) for _ in range(9)), fill="black",
                      font=_font(18))
            y += 26
        y += 24
    return sheet


def short_chat(seed: int, size: tuple[int, int] = (1080, 2400)) -> Image.Image:
    """A chat of four short bubbles on an otherwise empty screen: a line of text is 3 px high
    on verification's grid (a meme-saver's check: four such chats, three proposed)."""
    rng = random.Random(seed)
    shot = Image.new("RGB", size, (236, 229, 221))
    draw = ImageDraw.Draw(shot)
    draw.rectangle((0, 0, size[0], 230), fill=(7, 94, 84))
    draw.text((220, 80), rng.choice(["Jonas", "Maya", "Mom", "Lea"]), fill="white",
              font=_font(44))
    draw.rectangle((0, size[1] - 130, size[0], size[1]), fill=(240, 240, 240))
    for n in range(4):
        mine, top = n % 2 == 1, 280 + 100 * n
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 3)))
        left = size[0] - 60 - 22 * len(text) if mine else 40
        draw.rounded_rectangle((left, top, left + 22 * len(text) + 30, top + 70), 16,
                               fill=(220, 248, 198) if mine else (255, 255, 255))
        draw.text((left + 15, top + 16), text, fill=(20, 20, 20), font=_font(34))
    return shot


def test_short_chats_on_empty_screens_are_two_screens(tmp_path: Path) -> None:
    """A meme-saver's check: four chats with different people, four short bubbles each, differed
    on verification's grid by less than re-encoding may (8-19 grey levels in 8 of 26 showing
    tiles) and three were proposed as "the same picture re-saved". Read where text is legible,
    each owns text the other lacks; a messenger's copy owns none (screen_ink.py)."""
    lib = tmp_path / "lib"
    (lib / "Screenshots").mkdir(parents=True)
    (lib / "WhatsApp").mkdir()
    for seed in (1, 2, 3):
        short_chat(seed).save(lib / "Screenshots" / f"Screenshot_2024030{seed}-201502.png")
    short_chat(2).resize((720, 1600), Image.Resampling.LANCZOS).save(
        lib / "WhatsApp" / "IMG-20240302-WA0003.jpg", quality=70)
    load = PictureCache()
    one, two = (load(str(lib / "Screenshots" / f"Screenshot_2024030{n}-201502.png"))
                for n in (1, 2))
    assert two_screens(one, two)
    assert not two_screens(two, load(str(lib / "WhatsApp" / "IMG-20240302-WA0003.jpg")))
    result = run_scan(ScanParams(roots=(str(lib),)), Cache(tmp_path / "c.sqlite3"))
    grouped = sorted(sorted(Path(f.path).name for f in g.files) for g in result.groups)
    assert grouped == [["IMG-20240302-WA0003.jpg", "Screenshot_20240302-201502.png"]]


def _library(root: Path) -> dict[str, Path]:
    files = {}
    for name, picture in (("chat1", chat(1)), ("chat2", chat(2)), ("chat3", chat(3)),
                          ("page1", page(1)), ("page2", page(2)), ("page3", page(3))):
        files[name] = root / "Screenshots" / f"{name}.png"
        files[name].parent.mkdir(parents=True, exist_ok=True)
        picture.save(files[name])
    sent = chat(2).resize((405, 878), Image.Resampling.LANCZOS)  # a messenger's re-save
    files["chat2_sent"] = root / "WhatsApp" / "IMG-20241012-WA0011.jpg"
    files["chat2_sent"].parent.mkdir(parents=True)
    sent.save(files["chat2_sent"], quality=70)
    files["page2_copy"] = root / "Download" / "page2 (1).png"
    files["page2_copy"].parent.mkdir(parents=True)
    files["page2_copy"].write_bytes(files["page2"].read_bytes())
    return files


def test_screens_of_one_template_are_no_copies_and_their_copies_are(tmp_path: Path) -> None:
    files = _library(tmp_path / "lib")
    result = run_scan(ScanParams(roots=(str(tmp_path / "lib"),)), Cache(tmp_path / "c.sqlite3"))
    grouped = sorted(sorted(Path(f.path).name for f in g.files) for g in result.groups)
    assert grouped == [["IMG-20241012-WA0011.jpg", "chat2.png"], ["page2 (1).png", "page2.png"]]
    assert result.series == ()  # two screens are not two shots of one scene either
    assert {str(files["chat1"]), str(files["chat3"])}.isdisjoint(
        f.path for g in result.groups for f in g.files)


def test_the_rule_reads_what_differs_where_the_screens_show_something(tmp_path: Path) -> None:
    files = _library(tmp_path)
    load = PictureCache()
    assert two_screens(load(str(files["chat1"])), load(str(files["chat3"])))
    assert two_screens(load(str(files["page1"])), load(str(files["page3"])))
    assert not two_screens(load(str(files["chat2"])), load(str(files["chat2_sent"])))
    verdict = refute(str(files["page1"]), str(files["page2"]), RESAVED, load, {})
    assert verdict.same is False and verdict.note == TWO_SCREENS and verdict.note in NOT_SHOTS


def test_a_screen_with_no_photo_in_it_is_no_edited_copy_of_a_photo(tmp_path: Path) -> None:
    """Only the embedding calls a photo of a slide and a chat alike; a padded copy of the photo
    holds it (its region is found), and a pixelated copy is no screen (flat blocks of many
    colours, not a handful): both stay candidates for the other rules."""
    photo = tmp_path / "DCIM/IMG_0001.jpg"
    photo.parent.mkdir(parents=True)
    picture = frame(scene(4))
    picture.save(photo, quality=92)
    screen = tmp_path / "Screenshots/chat.png"
    screen.parent.mkdir(parents=True)
    chat(7).save(screen)
    padded = Image.new("RGB", (picture.width, picture.width), "white")
    padded.paste(picture, (0, (picture.width - picture.height) // 2))
    square = tmp_path / "Instagram/IMG_0001.jpg"
    square.parent.mkdir(parents=True)
    padded.save(square, quality=90)
    w, h = picture.size
    blocks = picture.resize((w // 16, h // 16), Image.Resampling.BOX).resize(
        (w, h), Image.Resampling.NEAREST)  # a pixelated copy: flat blocks of many colours
    pixelated = tmp_path / "Edited/IMG_0001_pixelated.png"
    pixelated.parent.mkdir(parents=True)
    blocks.save(pixelated)
    load = PictureCache()
    verdict = refute(str(photo), str(screen), EDITED, load, {})
    assert verdict.same is False and verdict.note == SCREEN_AND_PHOTO
    assert refute(str(photo), str(square), EDITED, load, {}).note != SCREEN_AND_PHOTO
    assert framed(load(str(pixelated))) and region_of(load(str(pixelated))) is None
    assert refute(str(photo), str(pixelated), EDITED, load, {}).note != SCREEN_AND_PHOTO


def test_with_similar_shots_counted_screens_are_not_even_similar(tmp_path: Path) -> None:
    """A person who puts similar shots in duplicate groups got one "similar shot" group of 62
    files, 58 marked Remove, 50 of them different chats (a re-check of the student's library):
    pairs only the similar tier holds were never verified. The screen rules hold for them."""
    files = _library(tmp_path / "lib")
    load = PictureCache()
    paths = [str(files["chat1"]), str(files["chat3"]), str(files["page1"])]
    similar = {(0, 1): Edge(SIMILAR, 18, 0.7), (1, 2): Edge(SIMILAR, 30, 0.63)}
    verified = Verified(dict(similar))
    drop_screens(verified, paths, load, {})
    assert verified.edges == {} and verified.refuted == {(0, 1), (1, 2)}
    result = run_scan(ScanParams(roots=(str(tmp_path / "lib"),), tiers=frozenset(TIERS)),
                      Cache(tmp_path / "c.sqlite3"))
    grouped = sorted(sorted(Path(f.path).name for f in g.files) for g in result.groups)
    assert grouped == [["IMG-20241012-WA0011.jpg", "chat2.png"], ["page2 (1).png", "page2.png"]]
