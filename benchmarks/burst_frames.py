"""Frames for make_bursts.py: consecutive frames of a real video, and handheld bursts simulated
from one still photo, plus the camera EXIF every frame carries. numpy, Pillow and ffmpeg only.

A simulated burst is one scene seen through a hand-held camera: every frame is a new exposure of
a slightly larger "scene" (the photo), with its own aim (sub-percent shift and roll), a subject
that moves across the scene (a patch of the same photo under a soft elliptical mask), its own
exposure (bracketing or auto-exposure steps, applied in linear light), white-balance drift,
sometimes a little shake blur, and fresh sensor noise. So two frames are never the same pixels
re-encoded: they differ the way two real exposures do, only less than most.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter
from PIL.TiffImagePlugin import IFDRational

CUT = 35.0  # mean absolute change (0–255, grey, 1/8 scale) between frames that marks a cut
MARGIN = 0.06  # the scene is this much larger than a frame: room for shake without borders
GAMMA = 2.2


def ffmpeg_version() -> str:
    out = subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()[0]


def read_video(path: Path) -> np.ndarray:
    """Every frame of the first video stream as (frames, height, width, 3) uint8 RGB."""
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
         "stream=width,height", "-of", "json", str(path)],
        capture_output=True, text=True, check=True)
    stream = json.loads(probe.stdout)["streams"][0]
    width, height = stream["width"], stream["height"]
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v:0", "-f",
                          "rawvideo", "-pix_fmt", "rgb24", "-"], capture_output=True, check=True)
    return np.frombuffer(raw.stdout, np.uint8).reshape(-1, height, width, 3)


def shots(frames: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) frame spans between the cuts of an edited clip."""
    grey = frames[:, ::8, ::8].astype(np.float32).mean(axis=3)
    change = np.abs(np.diff(grey, axis=0)).mean(axis=(1, 2))
    cuts = [0, *(int(i) + 1 for i in np.flatnonzero(change > CUT)), len(frames)]
    return list(itertools.pairwise(cuts))


def plan_video_bursts(spans: list[tuple[int, int]], rng: random.Random,
                      steps: tuple[int, int] = (6, 10), counts: tuple[int, int] = (3, 10)
                      ) -> list[tuple[int, int, int]]:
    """(first frame, step, frame count) of bursts laid one after another inside each shot, with
    a gap between them, so that no frame is in two bursts and no burst crosses a cut."""
    bursts = []
    for start, end in spans:
        position = start + rng.randint(0, 4)
        while True:
            step = rng.randint(*steps)
            room = (end - 1 - position) // step + 1
            if room < counts[0]:
                break
            count = rng.randint(counts[0], min(counts[1], room))
            bursts.append((position, step, count))
            position += (count - 1) * step + 1 + rng.randint(4, 16)
    return bursts


@dataclass
class Handheld:
    """Everything drawn once for a simulated burst; frame k is a pure function of it and k."""

    size: tuple[int, int]  # frame width, height
    seed: int
    shake: list[tuple[float, float, float]]  # per frame: dx, dy (fraction of long side), roll°
    subject_box: tuple[int, int, int, int]  # where the subject's pixels come from (scene px)
    subject_at: tuple[float, float]  # its top-left in the scene in frame 0
    subject_velocity: tuple[float, float]  # scene px per frame
    subject_drift: tuple[float, float]  # its own pixels slide by this per frame (limbs moving)
    exposure: list[float]  # EV per frame
    exposure_mode: str
    white_balance: list[tuple[float, float, float]]
    blur: list[float]  # Gaussian radius per frame, 0 for none
    noise: float  # sensor noise, 8-bit units at full scale

    def params(self, k: int) -> dict:
        dx, dy, roll = self.shake[k]
        x, y = self.subject_position(k)
        return {"shake_dx": round(dx, 5), "shake_dy": round(dy, 5), "roll_deg": round(roll, 4),
                "subject_at": [round(x, 1), round(y, 1)], "ev": round(self.exposure[k], 3),
                "white_balance": [round(g, 4) for g in self.white_balance[k]],
                "blur_radius": round(self.blur[k], 3), "noise_sigma": round(self.noise, 3)}

    def subject_position(self, k: int) -> tuple[float, float]:
        return (self.subject_at[0] + k * self.subject_velocity[0],
                self.subject_at[1] + k * self.subject_velocity[1])

    def describe(self) -> dict:
        return {"frame_size": list(self.size), "scene_margin": MARGIN,
                "subject_box": list(self.subject_box),
                "subject_velocity_px": [round(v, 2) for v in self.subject_velocity],
                "subject_drift_px": [round(v, 2) for v in self.subject_drift],
                "exposure_mode": self.exposure_mode, "noise_sigma": round(self.noise, 3)}


def scene_of(photo: Image.Image, long_side: int) -> tuple[Image.Image, tuple[int, int]]:
    """The photo at the scene's size and the frame size it yields (the photo's aspect)."""
    scale = long_side * (1 + MARGIN) / max(photo.size)
    scene = photo.resize((round(photo.width * scale), round(photo.height * scale)),
                         Image.Resampling.LANCZOS, reducing_gap=3.0)
    frame = (round(scene.width / (1 + MARGIN)), round(scene.height / (1 + MARGIN)))
    return scene, frame


def draw_handheld(scene: Image.Image, frame: tuple[int, int], count: int,
                  rng: random.Random) -> Handheld:
    long_side = max(frame)
    shake, dx, dy, roll = [], rng.gauss(0, 0.002), rng.gauss(0, 0.002), rng.gauss(0, 0.1)
    for _ in range(count):  # a slow random walk of the aim, kept sub-percent
        dx = _clip(dx + rng.gauss(0, 0.0025), 0.008)
        dy = _clip(dy + rng.gauss(0, 0.0025), 0.008)
        roll = _clip(roll + rng.gauss(0, 0.12), 0.4)
        shake.append((dx, dy, roll))
    sw, sh = scene.size
    pw, ph = round(sw * rng.uniform(0.1, 0.22)), round(sh * rng.uniform(0.12, 0.28))
    boxes = [(rng.randint(0, sw - pw), rng.randint(0, sh - ph)) for _ in range(4)]
    grey = scene.convert("L")  # the subject is the most textured of four candidate patches
    box_x, box_y = max(boxes, key=lambda b: _texture(grey.crop((*b, b[0] + pw, b[1] + ph))))
    speed, angle = long_side * rng.uniform(0.004, 0.025), rng.uniform(0, 2 * math.pi)
    vx, vy = speed * math.cos(angle), speed * math.sin(angle)
    travel_x, travel_y = vx * (count - 1), vy * (count - 1)
    x0 = rng.uniform(max(0, -travel_x), min(sw - pw, sw - pw - travel_x))
    y0 = rng.uniform(max(0, -travel_y), min(sh - ph, sh - ph - travel_y))
    drift = (rng.uniform(-3, 3), rng.uniform(-3, 3))
    if rng.random() < 0.3:  # auto exposure bracketing: 0, -s, +s, 0, -s, ...
        mode, stop = "bracket", rng.choice((1 / 3, 2 / 3, 1.0))
        exposure = [(0.0, -stop, stop)[k % 3] for k in range(count)]
    else:  # auto exposure following the light in 1/3 EV steps
        mode, ev, exposure = "auto", 0.0, []
        for _ in range(count):
            exposure.append(ev)
            if rng.random() < 0.4:
                ev = _clip(ev + rng.choice((-1, 1)) / 3, 1.0)
    balance = [(rng.gauss(1, 0.006), 1.0, rng.gauss(1, 0.006)) for _ in range(count)]
    blur = [rng.uniform(0.4, 1.1) if rng.random() < 0.25 else 0.0 for _ in range(count)]
    return Handheld(frame, rng.randrange(2**32), shake, (box_x, box_y, box_x + pw, box_y + ph),
                    (x0, y0), (vx, vy), drift, exposure, mode, balance, blur,
                    rng.uniform(1.0, 3.5))


def render_handheld(scene: Image.Image, burst: Handheld, k: int) -> Image.Image:
    """Frame k of the burst: a new exposure of the scene, not a copy of another frame."""
    staged = scene.copy()
    left, top, right, bottom = burst.subject_box
    slide_x, slide_y = (round(k * d) for d in burst.subject_drift)
    source = (min(max(0, left + slide_x), scene.width - (right - left)),
              min(max(0, top + slide_y), scene.height - (bottom - top)))
    subject = scene.crop((*source, source[0] + right - left, source[1] + bottom - top))
    mask = Image.new("L", subject.size, 0)
    ImageDraw.Draw(mask).ellipse((0, 0, subject.width - 1, subject.height - 1), fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(max(1.0, 0.06 * min(subject.size))))
    x, y = burst.subject_position(k)
    staged.paste(subject, (round(x), round(y)), mask)

    width, height = burst.size
    dx, dy, roll = burst.shake[k]
    cos, sin = math.cos(math.radians(roll)), math.sin(math.radians(roll))
    cx, cy = scene.width / 2 + dx * max(width, height), scene.height / 2 + dy * max(width, height)
    affine = (cos, -sin, cx - cos * width / 2 + sin * height / 2,
              sin, cos, cy - sin * width / 2 - cos * height / 2)
    shot = staged.transform((width, height), Image.Transform.AFFINE, affine,
                            Image.Resampling.BICUBIC)
    if burst.blur[k]:
        shot = shot.filter(ImageFilter.GaussianBlur(burst.blur[k]))

    linear = (np.asarray(shot, np.float32) / 255) ** GAMMA
    linear *= 2.0 ** burst.exposure[k] * np.asarray(burst.white_balance[k], np.float32)
    value = np.clip(linear, 0, 1) ** (1 / GAMMA) * 255
    noise = np.random.default_rng([burst.seed, k]).standard_normal(value.shape, np.float32)
    value += noise * burst.noise * np.sqrt(0.25 + 0.75 * value / 255)
    return Image.fromarray(np.clip(value + 0.5, 0, 255).astype(np.uint8))


def _texture(patch: Image.Image) -> float:
    return float(np.asarray(patch, np.float32).std())


def _clip(value: float, limit: float) -> float:
    return max(-limit, min(limit, value))


@dataclass(frozen=True)
class Camera:
    make: str
    model: str
    folder: str  # "{n}" is the folder number (100…999)
    name: str  # "{c}" file counter; "{t}" capture time; "{ms}" milliseconds; "{k}" frame
    serial: str | None  # BodySerialNumber; phones write none
    subsec_digits: int
    offset: str  # OffsetTimeOriginal: the owner's time zone
    fnumber: float
    focal: float


def camera_exif(camera: Camera, instant: datetime, exposure_s: float, bias: float,
                iso: int, size: tuple[int, int]) -> Image.Exif:
    """The tags a camera writes, Make to BodySerialNumber, for one capture instant, with the
    pixel size it stored (PixelX/YDimension, which the Exif standard requires in a camera's
    JPEG; a tool that copies the EXIF into a resized file keeps the old size)."""
    exif = Image.Exif()
    stamp = instant.strftime("%Y:%m:%d %H:%M:%S")
    exif[0x010F], exif[0x0110], exif[0x0132] = camera.make, camera.model, stamp
    exif[0x0112] = 1  # Orientation: upright
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = sub[0x9004] = stamp  # DateTimeOriginal, DateTimeDigitized
    subsec = f"{instant.microsecond // 1000:03d}"[: camera.subsec_digits]
    sub[0x9290] = sub[0x9291] = sub[0x9292] = subsec  # SubSecTime, …Original, …Digitized
    sub[0x9010] = sub[0x9011] = sub[0x9012] = camera.offset  # OffsetTime, …Original, …Digitized
    sub[0x829A] = _rational(exposure_s)  # ExposureTime
    sub[0x829D] = IFDRational(round(camera.fnumber * 10), 10)  # FNumber
    sub[0x8827] = iso  # ISOSpeedRatings
    sub[0x9204] = IFDRational(round(bias * 3), 3)  # ExposureBiasValue
    sub[0x920A] = IFDRational(round(camera.focal * 10), 10)  # FocalLength
    sub[0xA002], sub[0xA003] = size  # PixelXDimension, PixelYDimension
    if camera.serial:
        sub[0xA431] = camera.serial  # BodySerialNumber
    return exif


def _rational(seconds: float) -> IFDRational:
    return IFDRational(1, round(1 / seconds)) if seconds < 1 else IFDRational(round(seconds), 1)
