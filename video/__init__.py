"""video — the video room of a video appointment (issue 13, source 003 «Start video»).

Owns ``VideoSignal`` (what the two browsers send each other through the portal: arrival, «Slipp inn», the WebRTC
offer, answer and ICE candidates, camera and microphone, leaving), the room's phases (open from 15 minutes
before the time until its end), what each side may send and how much, the clean-up of closed rooms
(``tasks.video_sweep_task``, on the periodic schedule), the room's pages under ``/video/`` and its script
(``static/js/video.js``).

Above booking: whether an appointment has a room and who holds the practitioner's side are booking's rules
(``booking.video_rules``), which booking's own pages use for «Start video»; those pages link here by URL name
(``video:room``). Offers no ports and receives none.
"""
