"""Produces torchaudio.safetensors: inputs and outputs of Debian's python3-torchaudio 0.13 (torch 1.13), float32.

Run from this folder with Debian's interpreter:  /usr/bin/python3 make_torchaudio_reference.py
The C# tests (TorchaudioReferenceTests) read the inputs from the file, recompute every output with Nabla and compare.
"""
import math

import numpy as np
import torch
import torchaudio
import torchaudio.functional as F
import torchaudio.transforms as T

from safetensors_lite import save

torch.manual_seed(0)
SR = 16000
t = torch.arange(4000, dtype=torch.float64) / SR
# A linear chirp from 100 Hz to 7 kHz over 0.25 s, a two-tone signal, and seeded Gaussian noise.
chirp = (0.5 * torch.sin(2 * math.pi * (100 * t + (7000 - 100) * t ** 2 / (2 * 0.25)))).float()
tone = (0.6 * torch.sin(2 * math.pi * 440 * t[:2000]) + 0.25 * torch.sin(2 * math.pi * 1000 * t[:2000])).float()
noise = (0.1 * torch.randn(2000)).float()
noise44 = (0.1 * torch.randn(2205)).float()

out = {"in.chirp": chirp, "in.tone": tone, "in.noise": noise, "in.noise44": noise44}

# Filterbanks [n_freqs, n_mels].
out["fb.htk"] = F.melscale_fbanks(129, 0.0, 8000.0, 40, 16000, None, "htk")
out["fb.slaney_slaney"] = F.melscale_fbanks(129, 20.0, 7600.0, 40, 16000, "slaney", "slaney")
out["fb.htk_slaney_22050"] = F.melscale_fbanks(129, 0.0, 11025.0, 32, 22050, "slaney", "htk")

# Spectrograms.
out["spec.chirp"] = T.Spectrogram(n_fft=400, hop_length=200, power=2.0)(chirp)
out["spec.tone_magnitude"] = T.Spectrogram(n_fft=512, win_length=400, hop_length=160, power=1.0)(tone)
out["spec.noise_hamming_constant_normalized"] = T.Spectrogram(
    n_fft=256, hop_length=64, window_fn=torch.hamming_window, pad_mode="constant", normalized=True, power=2.0)(noise)
out["stft.chirp_100"] = torch.view_as_real(torch.stft(
    chirp[:1000], n_fft=100, hop_length=25, window=torch.hann_window(100), return_complex=True))
out["stft.noise_97_uncentered"] = torch.view_as_real(torch.stft(
    noise, n_fft=97, hop_length=30, window=torch.hann_window(97), center=False, return_complex=True))
out["stft.tone_twosided_blackman"] = torch.view_as_real(torch.stft(
    tone[:400], n_fft=64, hop_length=32, window=torch.blackman_window(64), onesided=False, return_complex=True))
spec = torch.stft(chirp, n_fft=400, hop_length=100, window=torch.hann_window(400), return_complex=True)
out["istft.chirp_length"] = torch.istft(spec, n_fft=400, hop_length=100, window=torch.hann_window(400), length=3777)

# Mel spectrograms (torchaudio defaults: n_fft 400, hop 200, 128 HTK mels, no norm), one signal and a batch.
out["mel.chirp"] = T.MelSpectrogram(sample_rate=SR)(chirp)
out["mel.batch"] = T.MelSpectrogram(sample_rate=SR, n_fft=512, win_length=400, hop_length=160, n_mels=80, f_max=8000.0)(
    torch.stack([noise, tone]))
out["mel.slaney"] = T.MelSpectrogram(sample_rate=SR, n_fft=1024, hop_length=256, n_mels=32, norm="slaney", mel_scale="slaney",
                                     f_min=30.0)(chirp)

# Decibels.
out["db.mel_chirp_top80"] = T.AmplitudeToDB("power", top_db=80.0)(out["mel.chirp"])
out["db.mel_batch_top60"] = T.AmplitudeToDB("power", top_db=60.0)(out["mel.batch"])
out["db.tone_magnitude"] = T.AmplitudeToDB("magnitude")(out["spec.tone_magnitude"])

# MFCC and deltas.
out["mfcc.chirp"] = T.MFCC(sample_rate=SR, n_mfcc=13, melkwargs={"n_fft": 400, "hop_length": 160, "n_mels": 40})(chirp)
out["mfcc.noise_default"] = T.MFCC(sample_rate=SR)(noise)
out["mfcc.chirp_logmels"] = T.MFCC(sample_rate=SR, n_mfcc=20, log_mels=True, melkwargs={"n_mels": 64})(chirp)
out["dct.13_40_ortho"] = F.create_dct(13, 40, "ortho")
out["dct.8_16_none"] = F.create_dct(8, 16, None)
out["deltas.mfcc_chirp"] = F.compute_deltas(out["mfcc.chirp"])
out["deltas.mfcc_chirp_w7_reflect"] = F.compute_deltas(out["mfcc.chirp"], win_length=7, mode="reflect")

# Resampling (sinc_interpolation, width 6, rolloff 0.99).
out["resample.noise44_to_16k"] = F.resample(noise44, 44100, 16000)
out["resample.tone_16k_to_22050"] = F.resample(tone, 16000, 22050)

# Griffin-Lim from a power spectrogram, deterministic start (rand_init=False). Noise, not the tone: where a rebuilt
# spectrum is nearly zero its phase X/|X| is set by rounding, so a tone's iterates diverge between any two FFTs.
window = torch.hann_window(256)
power = T.Spectrogram(n_fft=256, hop_length=64, power=2.0)(noise[:1200])
out["gl.power"] = power
out["gl.noise"] = F.griffinlim(power, window, 256, 64, 256, 2.0, 8, 0.99, None, False)

tensors = {k: v.detach().numpy().astype(np.float32) for k, v in out.items()}
save("torchaudio.safetensors", tensors, {"producer": f"torch {torch.__version__}, torchaudio {torchaudio.__version__}"})
print(f"wrote {len(tensors)} tensors, torch {torch.__version__}, torchaudio {torchaudio.__version__}")
