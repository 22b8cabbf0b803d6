#!/usr/bin/python3
"""The peer of benchmarks/rtsp.sh: GStreamer's RTSP server sending one MP4 file as it is (no transcoding).

    /usr/bin/python3 benchmarks/tools/gst_rtsp_server.py PORT FILE.mp4 [NAME]

Serves rtsp://127.0.0.1:PORT/NAME (NAME defaults to the file's name), the H.264 video as track 0 and the AAC
audio as track 1, over RTP/AVP (UDP) or RTP/AVP/TCP (interleaved). Not shared: each client gets its own pipeline
(filesrc, qtdemux, payloaders), as each vod session reads the file on its own. Prints "Listening on rtsp://..."
once the port is bound. Needs python3-gi and gir1.2-gst-rtsp-server-1.0 (the system Python, not a venv).
"""
import os
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

port, path = sys.argv[1], os.path.abspath(sys.argv[2])
name = sys.argv[3] if len(sys.argv) > 3 else os.path.basename(path)
Gst.init(None)
# backlog: the default listen queue of 5 overflows when 8 clients connect at once, and each dropped SYN costs
# the client a 1 s retransmission: that would be measured as startup time.
server = GstRtspServer.RTSPServer(address="127.0.0.1", service=port, backlog=128)
factory = GstRtspServer.RTSPMediaFactory(shared=False)
# The payloaders read the file at its own pace: rtsp-media's pipeline is live-synced to the clock (sink sync).
factory.set_launch(
    f'( filesrc location="{path}" ! qtdemux name=d '
    "d.video_0 ! queue ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1 "
    "d.audio_0 ! queue ! aacparse ! rtpmp4gpay name=pay1 pt=97 )")
server.get_mount_points().add_factory("/" + name, factory)
if server.attach(None) == 0:
    sys.exit(f"gst_rtsp_server.py: could not listen on 127.0.0.1:{port}")
print(f"Listening on rtsp://127.0.0.1:{server.get_bound_port()}/{name}", flush=True)
try:
    GLib.MainLoop().run()
except KeyboardInterrupt:
    pass
