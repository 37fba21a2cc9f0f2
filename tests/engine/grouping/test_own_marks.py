"""Marks of their own (grouping/own_marks.py): a meme-saver's check had one template photo
with three to five different jokes, and stickers of one character with other faces, grouped
as "the same picture re-saved"; accepting the suggestions kept one joke per template. Different
jokes are two pictures; a joke saved twice is still a copy, and so is a caption added to a
photo whose original is in the library."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from dedup_gui.engine.grouping.own_marks import may_carry_marks, own_marks
from dedup_gui.engine.pipeline import ScanParams, run_scan
from dedup_gui.engine.store.cache import Cache
from tests.engine.grouping.pictures import scene

BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.truetype(BOLD, size)
    except OSError:  # no DejaVu here: Pillow's own font, still letters of some size
        return ImageFont.load_default(size)


def meme(template: Image.Image, top: str, bottom: str) -> Image.Image:
    """Impact-style: white capitals with a black outline, top and bottom."""
    picture = template.copy()
    draw = ImageDraw.Draw(picture)
    font = _font(picture.width // 14)
    for text, y in ((top, 12), (bottom, picture.height - picture.width // 14 - 24)):
        width = draw.textlength(text.upper(), font=font)
        draw.text(((picture.width - width) / 2, y), text.upper(), font=font, fill="white",
                  stroke_width=3, stroke_fill="black")
    return picture


def face(mouth: str) -> Image.Image:
    """A sticker: one character, a different mouth."""
    picture = Image.new("RGB", (420, 420), (255, 255, 255))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((60, 60, 360, 360), fill=(120, 200, 250), outline="black", width=6)
    draw.ellipse((140, 150, 170, 190), fill="black")
    draw.ellipse((250, 150, 280, 190), fill="black")
    if mouth == "smile":
        draw.arc((140, 200, 280, 300), 20, 160, fill="black", width=7)
    elif mouth == "sad":
        draw.arc((140, 250, 280, 350), 200, 340, fill="black", width=7)
    else:
        draw.ellipse((185, 250, 235, 310), outline="black", width=7)
    return picture


def _library(root: Path) -> dict[str, Path]:
    template, photo = scene(11, (620, 460)), scene(12, (620, 460))
    pictures = {
        "Reddit/joke_a.jpg": meme(template, "when the prof says", "the exam is open book"),
        "Download/joke_b.jpg": meme(template, "group project", "i did everything"),
        "Telegram/joke_c.jpg": meme(template, "monday morning", "already tired"),
        "DCIM/Camera/IMG_0001.jpg": photo,
        "Pictures/Memes/my_meme.jpg": meme(photo, "best day", "ever"),
        "Telegram/Stickers/happy.png": face("smile"),
        "Telegram/Stickers/sad.png": face("sad"),
        "Telegram/Stickers/surprised.png": face("open"),
    }
    files = {}
    for name, picture in pictures.items():
        files[name] = root / name
        files[name].parent.mkdir(parents=True, exist_ok=True)
        picture.save(files[name], quality=88)
    files["Instagram/joke_a_saved.jpg"] = root / "Instagram" / "joke_a_saved.jpg"
    files["Instagram/joke_a_saved.jpg"].parent.mkdir(parents=True)
    Image.open(files["Reddit/joke_a.jpg"]).save(files["Instagram/joke_a_saved.jpg"], quality=72)
    return files


def test_other_jokes_and_faces_are_other_pictures_and_a_joke_saved_twice_a_copy(
        tmp_path: Path) -> None:
    _library(tmp_path / "lib")
    result = run_scan(ScanParams(roots=(str(tmp_path / "lib"),)), Cache(tmp_path / "c.sqlite3"))
    grouped = sorted(sorted(Path(f.path).name for f in g.files) for g in result.groups)
    assert grouped == [["IMG_0001.jpg", "my_meme.jpg"],  # a caption on one's own photo: a copy
                       ["joke_a.jpg", "joke_a_saved.jpg"]]


def test_the_rule_reads_marks_on_both_sides_only(tmp_path: Path) -> None:
    files = _library(tmp_path)

    def load(name: str) -> Image.Image:
        return Image.open(files[name]).convert("RGB")

    a, b, saved = load("Reddit/joke_a.jpg"), load("Download/joke_b.jpg"), \
        load("Instagram/joke_a_saved.jpg")
    assert may_carry_marks(a) and may_carry_marks(b)
    assert own_marks(a, b) and own_marks(load("Telegram/Stickers/happy.png"),
                                         load("Telegram/Stickers/sad.png"))
    assert not own_marks(a, saved)  # re-encoded: nothing of its own
    assert not own_marks(load("DCIM/Camera/IMG_0001.jpg"), load("Pictures/Memes/my_meme.jpg"))
    assert not own_marks(a, ImageOps.mirror(a))  # a flipped copy is no second joke
