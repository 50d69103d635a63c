"""Phone-camera-like test photos for bench/pictures.mjs and e2e/pictures.test.mjs: 4032 x 3024
JPEGs (quality 92, as phones save them) of 2-4 MB, made of colour gradients, soft shapes and
sensor-like noise so that they do not compress trivially.

usage: photos.py <folder> <count> [seed] [width height]
"""
import random
import sys

from PIL import Image, ImageChops, ImageDraw, ImageFilter


def photo(seed, width, height):
    rng = random.Random(seed)
    # A sky-to-ground gradient, drawn small and scaled up (smooth, like out-of-focus light).
    small = Image.new("RGB", (64, 48))
    top = [rng.randrange(256) for _ in range(3)]
    bottom = [rng.randrange(256) for _ in range(3)]
    px = small.load()
    for y in range(48):
        for x in range(64):
            t = y / 47
            px[x, y] = tuple(int(top[c] * (1 - t) + bottom[c] * t + 20 * ((x / 63) - 0.5)) for c in range(3))
    img = small.resize((width, height), Image.BICUBIC)
    draw = ImageDraw.Draw(img)
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(width // 40, width // 6)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    img = img.filter(ImageFilter.GaussianBlur(6))
    # Sensor noise, per channel.
    noise = [Image.effect_noise((width, height), 7).point(lambda v: v - 128 + 128) for _ in range(3)]
    grain = Image.merge("RGB", noise)
    img = ImageChops.add(img, grain, scale=1.0, offset=-128)
    return img


def main():
    folder, count = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    width, height = (int(sys.argv[4]), int(sys.argv[5])) if len(sys.argv) > 5 else (4032, 3024)
    for i in range(count):
        photo(seed * 1000 + i, width, height).save(f"{folder}/photo-{i + 1}.jpg", quality=92)


main()
