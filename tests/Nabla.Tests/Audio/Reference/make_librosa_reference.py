"""Produces librosa.safetensors: librosa 0.10/0.11 values re-derived with numpy from librosa's published formulas.

librosa itself cannot be installed here, so this script implements each function it reproduces, step for step as
librosa documents it (docs/audio.md, "How the librosa values are derived"), in float64 from float32 inputs, and stores
float32 results as librosa does. It checks itself against values librosa publishes: the first filter of
librosa.filters.mel(sr=22050, n_fft=2048) begins 0, 0.016182853208219942, 0.032365706416439884, 0.028990088037379964,
0.012807234829160026, 0. Delta features are derived independently of the C# implementation: a least-squares polynomial
(numpy.polyfit) per window and its derivative (numpy.polyder), which is what scipy.signal.savgol_filter(mode="interp")
computes.

Run from this folder:  /usr/bin/python3 make_librosa_reference.py
"""
import math

import numpy as np

from safetensors_lite import save


def hz_to_mel(f, htk):
    f = np.asanyarray(f, dtype=np.float64)
    if htk:
        return 2595.0 * np.log10(1.0 + f / 700.0)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz, min_log_mel, logstep = 1000.0, 1000.0 / f_sp, np.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-300) / min_log_hz) / logstep, mels)


def mel_to_hz(m, htk):
    m = np.asanyarray(m, dtype=np.float64)
    if htk:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    f_sp = 200.0 / 3
    min_log_hz, min_log_mel, logstep = 1000.0, 1000.0 / f_sp, np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)


def mel_basis(sr, n_fft, n_mels=128, fmin=0.0, fmax=None, htk=False, norm="slaney"):
    """librosa.filters.mel: triangles on n_mels + 2 mel-spaced edges over the rfft bin frequencies k·sr/n_fft."""
    fmax = sr / 2.0 if fmax is None else fmax
    fftfreqs = np.fft.rfftfreq(n_fft, 1.0 / sr)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(fmin, htk), hz_to_mel(fmax, htk), n_mels + 2), htk)
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    weights = np.zeros((n_mels, len(fftfreqs)))
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    if norm == "slaney":
        weights *= (2.0 / (mel_f[2:n_mels + 2] - mel_f[:n_mels]))[:, np.newaxis]
    return weights.astype(np.float32)


def stft(y, n_fft=2048, hop_length=None, center=True, pad_mode="constant"):
    """librosa.stft with the periodic Hann window of n_fft samples (scipy get_window('hann', n_fft, fftbins=True))."""
    hop_length = n_fft // 4 if hop_length is None else hop_length
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)
    y = y.astype(np.float64)
    if center:
        y = np.pad(y, n_fft // 2, mode=pad_mode)
    frames = 1 + (len(y) - n_fft) // hop_length
    cols = [np.fft.rfft(window * y[t * hop_length:t * hop_length + n_fft]) for t in range(frames)]
    return np.stack(cols, axis=-1)


def melspectrogram(y, sr, n_fft=2048, hop_length=512, power=2.0, **mel):
    S = np.abs(stft(y, n_fft, hop_length)) ** power
    return mel_basis(sr, n_fft, **mel).astype(np.float64) @ S


def power_to_db(S, ref=1.0, amin=1e-10, top_db=80.0):
    log_spec = 10.0 * np.log10(np.maximum(amin, S)) - 10.0 * np.log10(np.maximum(amin, ref))
    return np.maximum(log_spec, log_spec.max() - top_db) if top_db is not None else log_spec


def dct2_ortho(S):
    """scipy.fftpack.dct(S, type=2, norm='ortho', axis=-2): y[k] = 2·Σₙ x[n]·cos(πk(2n+1)/(2N)), then ·√(1/(4N)) for k = 0 and √(1/(2N)) otherwise."""
    N = S.shape[-2]
    n = np.arange(N)
    k = np.arange(N)[:, None]
    basis = 2.0 * np.cos(np.pi * k * (2 * n + 1) / (2 * N))
    scale = np.where(k == 0, np.sqrt(1.0 / (4 * N)), np.sqrt(1.0 / (2 * N)))
    return (basis * scale) @ S


def mfcc(S_db, n_mfcc=20, lifter=0):
    M = dct2_ortho(S_db)[:n_mfcc]
    if lifter > 0:
        M *= (1 + (lifter / 2) * np.sin(np.pi * np.arange(1, 1 + n_mfcc) / lifter))[:, None]
    return M


def delta(data, width=9, order=1):
    """savgol_filter(data, width, polyorder=order, deriv=order, mode='interp') along the last axis, by its definition."""
    n = width // 2
    T = data.shape[-1]
    out = np.empty_like(data, dtype=np.float64)
    positions = np.arange(-n, n + 1)
    for row in range(data.shape[0]):
        x = data[row].astype(np.float64)
        for t in range(n, T - n):
            p = np.polyfit(positions, x[t - n:t + n + 1], order)
            out[row, t] = np.polyval(np.polyder(p, order), 0.0)
        first = np.polyder(np.polyfit(np.arange(width), x[:width], order), order)
        last = np.polyder(np.polyfit(np.arange(width), x[T - width:], order), order)
        for t in range(n):
            out[row, t] = np.polyval(first, t)
            out[row, T - n + t] = np.polyval(last, width - n + t)
    return out


# Self-check against values librosa publishes for librosa.filters.mel(sr=22050, n_fft=2048).
published = [0.0, 0.016182853208219942, 0.032365706416439884, 0.028990088037379964, 0.012807234829160026, 0.0]
basis = mel_basis(22050, 2048)
assert np.allclose(basis[0, :6], published, rtol=1e-6, atol=1e-9), basis[0, :6]

SR = 22050
t = np.arange(SR // 2) / SR
chirp = (0.5 * np.sin(2 * math.pi * (80 * t + (9000 - 80) * t ** 2 / (2 * 0.5)))).astype(np.float32)
rng = np.random.default_rng(7)
noise = (0.1 * rng.standard_normal(8000)).astype(np.float32)

out = {"in.chirp": chirp, "in.noise": noise}
rows = [0, 1, 2, 63, 127]
out["mel.default_rows"] = basis[rows]                        # librosa.filters.mel(sr=22050, n_fft=2048), rows 0, 1, 2, 63, 127
out["mel.htk_16k"] = mel_basis(16000, 512, n_mels=40, fmax=8000.0, htk=True)
out["mel.slaney_nonorm"] = mel_basis(16000, 400, n_mels=32, fmin=50.0, norm=None)
S = melspectrogram(chirp, SR)
out["melspec.chirp"] = S.astype(np.float32)                   # librosa.feature.melspectrogram(y=chirp, sr=22050)
S_db = power_to_db(S)
out["db.chirp"] = S_db.astype(np.float32)                     # librosa.power_to_db(S)
out["mfcc.chirp"] = mfcc(S_db).astype(np.float32)             # librosa.feature.mfcc(y=chirp, sr=22050)
out["mfcc.chirp_lifter22"] = mfcc(S_db, 13, 22).astype(np.float32)
M = mfcc(S_db)
out["delta.mfcc"] = delta(M).astype(np.float32)               # librosa.feature.delta(mfcc)
out["delta2.mfcc"] = delta(M, order=2).astype(np.float32)     # librosa.feature.delta(mfcc, order=2)
out["delta.w5.mfcc"] = delta(M, width=5).astype(np.float32)
S16 = melspectrogram(noise, 16000, n_fft=512, hop_length=128, n_mels=40, fmax=8000.0, htk=True)
out["melspec.noise_htk"] = S16.astype(np.float32)
out["db.noise_htk_ref_top60"] = power_to_db(S16, ref=S16.max(), top_db=60.0).astype(np.float32)

save("librosa.safetensors", out, {"producer": f"numpy {np.__version__}, librosa 0.10 formulas"})
print(f"wrote {len(out)} tensors with numpy {np.__version__}")
