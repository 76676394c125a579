"""Writes metadata.parquet, the LAION-style metadata of the bundled sample images.

Run from this folder: python3 make_metadata.py   (needs pyarrow)
Images were downscaled to at most 512 px on the long side and saved as JPEG quality 85.
"""
import pyarrow as pa
import pyarrow.parquet as pq

SKIMAGE = "scikit-image 0.26 (skimage/data)"
SKLEARN = "scikit-learn 1.9 (sklearn/datasets/images)"
MPL = "matplotlib 3.11 (mpl-data/sample_data)"
MATE = "Debian package mate-backgrounds 1.26.0-1 (nature/)"

# file, caption, license, author, source
ROWS = [
    ("astronaut", "Portrait of astronaut Eileen Collins in an orange flight suit holding a helmet, in front of an American flag and a space shuttle model.", "public domain", "NASA", SKIMAGE),
    ("chelsea", "Close-up of a tabby cat's face with green eyes.", "CC0-1.0", "Stefan van der Walt", SKIMAGE),
    ("coffee", "A cup of espresso with crema on a red saucer with a spoon, on a wooden table.", "CC0-1.0", "Rachel Michetti", SKIMAGE),
    ("rocket", "A SpaceX Falcon 9 rocket on its launch pad at dusk between lightning towers, lit by floodlights.", "public domain", "SpaceX", SKIMAGE),
    ("hubble_deep_field", "Hundreds of distant galaxies scattered across black space in a Hubble deep field image.", "public domain", "NASA", SKIMAGE),
    ("coins", "Black-and-white photograph of twenty-four ancient coins laid out in four rows.", "no known copyright restrictions", "Brooklyn Museum", SKIMAGE),
    ("camera", "Black-and-white photograph of a man in a dark coat looking through a camera on a tripod in a grassy field.", "CC0-1.0", "Lav Varshney", SKIMAGE),
    ("clock_motion", "A wall clock on a plain grey wall, blurred by horizontal camera motion.", "public domain", "Stefan van der Walt", SKIMAGE),
    ("retina", "Fundus photograph of a normal human retina showing its blood vessels and optic disc.", "CC0-1.0", "Mikael Häggström", SKIMAGE),
    ("ihc", "Microscope image of colon tissue with brown-stained glands and blue-stained nuclei.", "no known copyright restrictions", "Center for Microscopy And Molecular Imaging", SKIMAGE),
    ("grass", "Black-and-white close-up texture of grass blades.", "CC0-1.0", "linolafett (DeviantArt)", SKIMAGE),
    ("gravel", "Black-and-white close-up texture of small gravel stones.", "CC0-1.0", "CC0Textures", SKIMAGE),
    ("brick", "A grey brick wall seen at an angle.", "CC0-1.0", "CC0Textures", SKIMAGE),
    ("china", "A tiered Chinese temple tower with red and green eaves rising above trees beside a lake.", "CC-BY-2.0", "danielbuechele (Flickr)", SKLEARN),
    ("flower", "An orange dahlia flower against a dark green background.", "CC-BY-2.0", "vultilion (Flickr)", SKLEARN),
    ("grace_hopper", "Portrait of Grace Hopper in a naval uniform and cap in front of an American flag.", "public domain (US Navy photograph)", "United States Navy", MPL),
    ("mate_aqua", "A drop falling into water and forming a small splash crown, in blue light.", "GPL-2.0-or-later", "Charles Barbin", MATE),
    ("mate_ladybird", "A ladybird on a green grass stem among small blue forget-me-not flowers.", "GPL-2.0-or-later", "Charles Barbin", MATE),
    ("mate_yellowflower", "Close-up of a yellow flower with long petals and a dark centre.", "GPL-2.0-or-later", "Charles Barbin", MATE),
    ("mate_garden", "A red and yellow marigold flower in front of a blurred orange background.", "GPL-2.0-or-later", "Charles Barbin", MATE),
    ("mate_blinds", "Close-up of a bright green leaf with fine parallel veins.", "GPL-2.0-or-later", "Lennart Poettering, Andrea Cimitan", MATE),
    ("mate_dune", "Dry dune grass bending in the wind in front of a blue sea and sky.", "GPL-2.0-or-later", "Marco Cogoni, Hylke Bons", MATE),
    ("mate_freshflower", "Close-up of the orange petals of a flower.", "GPL-2.0-or-later", "Jens Ansorg", MATE),
    ("mate_greenmeadow", "Close-up of dense young green grass shoots.", "GPL-2.0-or-later", "Timothy Schellhase, Lapo Calamandrei", MATE),
    ("mate_raindrops", "Water drops on green leaves and grass blades.", "GPL-2.0-or-later", "blackcombwhistler07", MATE),
    ("mate_storm", "Dark storm clouds over a flat landscape, seen past a motion-blurred roadside barrier.", "GPL-2.0-or-later", "Sergey Nazarov", MATE),
    ("mate_twowings", "Two dandelion seeds on a seed head in front of blurred orange flowers.", "GPL-2.0-or-later", "Charles Barbin, Hylke Bons", MATE),
    ("mate_wood", "Close-up of pale weathered wooden planks with a shallow depth of field.", "GPL-2.0-or-later", "Jean-François Fortin Tam", MATE),
]

table = pa.table({
    "url": ["images/%s.jpg" % r[0] for r in ROWS],
    "caption": [r[1] for r in ROWS],
    "license": [r[2] for r in ROWS],
    "author": [r[3] for r in ROWS],
    "source": [r[4] for r in ROWS],
})
pq.write_table(table, "metadata.parquet")
print(table.num_rows, "rows -> metadata.parquet")
