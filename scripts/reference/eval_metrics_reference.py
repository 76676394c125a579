#!/usr/bin/env python3
"""Score a table of cases with the official benchmark scripts and write JSON fixtures.

The Java tests of eval-job (org.synergen.eval) compare our metric code against these fixtures, so
they need no Python. The official scripts are not part of this repository (their code cannot be
copied here): this script loads them from checkouts of their public repositories, which you pass:

  git clone https://github.com/GT-Vision-Lab/VQA            /src/VQA
  git clone https://github.com/OpenGVLab/InternVL           /src/InternVL
  git clone https://github.com/google-research/pix2struct   /src/pix2struct
  git clone https://github.com/haotian-liu/LLaVA            /src/LLaVA
  git clone https://github.com/djghosh13/geneval           /src/geneval
  python3 -m venv --system-site-packages /tmp/ref && /tmp/ref/bin/pip install \
      numpy scipy pandas scikit-learn editdistance pytorch-fid==0.3.0 clean-fid==0.1.35 pillow torch
  /tmp/ref/bin/python scripts/reference/eval_metrics_reference.py --src /src \
      --out eval-job/src/test/resources/reference

What runs unmodified: InternVL's textvqa_eval.py (EvalAI processor), its copy of the RRC ANLS
script (infographicsvqa_eval.py), MME calculation.py and evaluate_vqa.py's relaxed / exact-match
functions; pix2struct's metrics.py functions; LLaVA's eval_pope.py; GenEval's evaluate_images.py
rules and summary_scores.py; pytorch-fid's calculate_frechet_distance; PIL / torch resizes.
Adapted at load time, and only that: vqaEval.py is Python 2, so its print statements are dropped
and its two regexes recompiled with re.ASCII (Python 2 byte-string patterns match ASCII digits);
GenEval's detector, CLIP colour classifier and image loading are replaced by the given detections.
"""
import argparse
import ast
import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import types
import typing
from typing import Optional

import numpy as np


def load_defs(path, names, namespace):
    """Execute only the named top-level functions, classes and constants of a source file."""
    tree = ast.parse(open(path, encoding="utf-8").read(), filename=path)

    def name_of(node):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            return node.name
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            return node.targets[0].id
        return None
    keep = [n for n in tree.body if name_of(n) in names]
    missing = set(names) - {name_of(n) for n in keep}
    if missing:
        raise SystemExit(f"{path}: does not define {sorted(missing)}")
    exec(compile(ast.Module(body=keep, type_ignores=[]), path, "exec"), namespace)
    return namespace


def load_vqa_eval(src):
    path = os.path.join(src, "VQA/PythonEvaluationTools/vqaEvaluation/vqaEval.py")
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"^(\s*)print .*$", r"\1pass", text, flags=re.M)  # Python 2 print statements
    ns = {"__name__": "vqaEval"}
    exec(compile(text, path, "exec"), ns)
    return ns["VQAEval"]


# ----------------------------------------------------------------------------------------- VQA

NORMALIZE_CASES = [
    "Two.", "The dog!", "1,000", "5.", "2.5", "yes.", "a.b", "Hello, world", "can't", "dont",
    "isnt it", "it's", "Im", "one-way", "$5", "5:30", "3 / 4", "mr. smith", "...", "e.g.", "a",
    "an apple", "the THE", "10,000,000", "x,y 1,2", "u.s.a.", "a." * 40, "ten", "None",
    "   spaced   out ", "tab\there", "new\nline", "café", "İstanbul", "\u00a0nbsp\u00a0", "",
    "a-b - c", "(hi)", "[1]", "100%", "50 %", "#1", "o'clock", "oclock", "hes", "yall", "whats up",
    "let's go", "somebody'd", "What's this?", "don't", "1.5.", "3.", "4 .", "no, it is not",
    "it's red, blue", "red,blue", "¾", "٣.", "The Cat's hat", "hello!world", "a_b", "x=y", "<3",
    "twenty-one", "Three dogs.", "USA", "i'm", "\"quoted\"", "back\\slash", "mid.dle", "end.",
    "1,2,3", "1, 2", "7.0", ".5", "5..", "ZERO", "none of them",
]

ACCURACY_CASES = [
    # k matching answers out of 10
    ("red", ["blue"] * 10),
    ("red", ["red"] + ["blue"] * 9),
    ("red", ["red"] * 2 + ["blue"] * 8),
    ("red", ["red"] * 3 + ["blue"] * 7),
    ("red", ["red"] * 4 + ["blue"] * 6),
    ("red", ["red"] * 10),
    # normalisation through the answers
    ("Two.", ["2", "2", "2", "two", "3", "3", "3", "3", "3", "3"]),
    ("The dog!", ["dog", "dog", "a dog", "cat", "cat", "cat", "cat", "cat", "cat", "cat"]),
    ("1,000", ["1000", "1000", "1000", "1,000", "100", "100", "100", "100", "100", "100"]),
    # unanimous answers: vqaEval.py compares un-normalised, EvalAI normalises
    ("two", ["Two"] * 10),
    ("2.", ["2"] * 10),
    ("Yes", ["yes"] * 10),
    (" yes\n", ["yes"] * 10),
    ("yes", ["yes\t"] * 10),
    ("the dog", ["dog"] * 10),
    # whitespace-only differences in the answers make them non-unanimous
    ("dog", ["dog", "dog ", "dog", "dog", "dog", "dog", "dog", "dog", "dog", "Dog"]),
    ("Coca-Cola", ["coca cola", "coca-cola", "cocacola", "coca cola", "coca cola", "coke", "coke",
                   "coca cola", "coca-cola", "coca cola"]),
    ("what's", ["whats", "whats", "what is", "whats", "x", "y", "z", "w", "v", "u"]),
    ("five", ["5", "five", "5", "5", "5", "fives", "5", "5", "5", "5"]),
    # fewer than 10 answers (vqaEval.py takes any count; EvalAI asserts 10)
    ("cat", ["cat", "cat", "dog"]),
    ("cat", ["cat"]),
]


def vqa_cases(src):
    VQAEval = load_vqa_eval(src)
    ev_ns = {"__name__": "textvqa_eval"}
    exec(compile(open(os.path.join(src, "InternVL/internvl_chat/eval/vqa/textvqa_eval.py")).read(),
                 "textvqa_eval.py", "exec"), ev_ns)
    processor = ev_ns["EvalAIAnswerProcessor"]()
    evaluator = ev_ns["TextVQAAccuracyEvaluator"]()

    def official_instance(qa):
        class Api:
            def __init__(self, qa):
                self.qa = qa

            def getQuesIds(self):
                return list(self.qa)
        e = VQAEval(Api(qa[0]), Api(qa[1]))
        e.periodStrip = re.compile(e.periodStrip.pattern, re.ASCII)
        e.commaStrip = re.compile(e.commaStrip.pattern, re.ASCII)
        e.updateProgress = lambda progress: None
        raw = {}
        e.setEvalQA = lambda qid, acc: raw.__setitem__(qid, acc)
        return e, raw

    normalize = []
    e, _ = official_instance(({}, {}))
    for text in NORMALIZE_CASES:
        cleaned = text.replace("\n", " ").replace("\t", " ").strip()
        official = e.processDigitArticle(e.processPunctuation(cleaned))
        normalize.append({"input": text, "official": official, "evalai": processor(text)})

    accuracy = []
    for i, (pred, answers) in enumerate(ACCURACY_CASES):
        gts = {i: {"answers": [{"answer": a, "answer_id": j + 1, "answer_confidence": "yes"}
                               for j, a in enumerate(answers)],
                   "question_type": "what", "answer_type": "other"}}
        res = {i: {"answer": pred}}
        e, raw = official_instance((gts, res))
        e.evaluate()
        evalai = None
        if len(answers) == 10:
            evalai = evaluator.eval_pred_list([{"pred_answer": pred, "gt_answers": answers}], disable_tqdm=True)
        accuracy.append({"prediction": pred, "answers": answers, "official": raw[i], "evalai": evalai})
    return normalize, accuracy


# ---------------------------------------------------------------------------------------- ANLS

ANLS_CASES = [
    ("CocaCola", ["Coca Cola", "Coca Cola Company"]),
    ("ab", ["ac"]),                  # normalised distance exactly 0.5
    ("abcd", ["abxy"]),              # exactly 0.5 again
    ("abc", ["xyz"]),
    ("  Hello   World ", ["hello world"]),
    ("hello      wrld", ["hello world"]),   # RRC divides by the raw (unstripped) length
    ("strasse", ["Straße"]),                  # upper-case length: "ß" -> "SS"
    ("", ["abc"]),
    ("", [""]),
    ("1999", ["1998", "2000", "1999 "]),
    ("New York City", ["new york", "NYC"]),
    ("$1.5 million", ["1.5 million", "$ 1.5 million"]),
    ("Yes", ["yes"]),
    ("tabs\tand\nlines", ["tabs and lines"]),
    ("abcdefghij", ["abcdefghXY", "abcdeXYZWV"]),
    ("abcdefghij", ["abcdeXYZWV"]),
    ("x", ["xy", "xyz"]),
]


def anls_cases(src):
    rrc_path = os.path.join(src, "InternVL/internvl_chat/eval/vqa/infographicsvqa_eval.py")
    rrc = {"__name__": "rrc"}
    exec(compile(open(rrc_path).read(), rrc_path, "exec"), rrc)
    import editdistance
    p2s = load_defs(os.path.join(src, "pix2struct/pix2struct/metrics.py"),
                    ["aggregate_metrics", "anls_metric", "relaxed_correctness"],
                    {"editdistance": editdistance, "Optional": Optional, "Any": typing.Any,
                     "Callable": typing.Callable, "Sequence": typing.Sequence, "Mapping": typing.Mapping})
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        gt_path = os.path.join(tmp, "gt.json")
        sub_path = os.path.join(tmp, "sub.json")
        for i, (pred, answers) in enumerate(ANLS_CASES):
            json.dump({"dataset_name": "cases", "data": [
                {"questionId": i, "question": "q", "answers": answers}]}, open(gt_path, "w"))
            json.dump([{"questionId": i, "answer": pred}], open(sub_path, "w"))
            params = types.SimpleNamespace(anls_threshold=0.5, answer_types=False)
            rrc["validate_data"](gt_path, sub_path)
            score = rrc["evaluate_method"](gt_path, sub_path, params)["per_sample_result"][str(i)]["score"]
            try:
                pix = p2s["aggregate_metrics"]([answers], [pred], p2s["anls_metric"], lambda v: v.lower()) / 100.0
            except ZeroDivisionError:
                pix = None  # both strings empty: the script divides by zero
            out.append({"prediction": pred, "answers": answers, "rrc": score, "pix2struct": pix})
    return out, p2s


# ----------------------------------------------------------------------- relaxed / exact match

RELAXED_CASES = [
    ("105", ["100"]), ("100", ["105"]), ("106", ["100"]), ("95", ["100"]), ("94.9", ["100"]),
    ("0.0", ["0"]), ("0", ["0"]), ("0", ["0.0"]), ("0", ["0.01"]), ("5%", ["0.05"]),
    ("0.05", ["5%"]), ("5%", ["5"]), ("50%%", ["0.5"]), ("%", ["%"]), ("Yes", ["yes"]),
    ("1,000", ["1000"]), ("1_000", ["1000"]), ("1e3", ["1000"]), ("inf", ["inf"]),
    ("nan", ["nan"]), (" 12 ", ["12"]), ("12", [" 12 "]), ("12\n", ["12"]), ("-5", ["5"]),
    ("-5", ["-5.2"]), ("+.5", ["0.5"]), ("5.", ["5"]), ("٣", ["3"]), ("0x10", ["16"]),
    ("1d", ["1"]), ("Germany", ["germany", "France"]), ("2019", ["2018", "2019"]),
    ("17.52", ["17.5"]), ("-0", ["0"]), ("Infinity", ["inf"]), ("1__0", ["10"]),
    ("", [""]), ("", ["0"]), ("3.0", ["3"]), ("6.1", ["6"]),
]
EXACT_CASES = [
    ("A", ["a"]), (" b ", ["B"]), ("yes.", ["yes"]), ("Yes.", ["yes"]), ("yes..", ["yes"]),
    ("left", ["right", "Left"]), ("C", ["D"]), ("Yes", ["Yes"]), (" no", ["no"]),
]


def relaxed_and_exact_cases(src, p2s):
    ns = load_defs(os.path.join(src, "InternVL/internvl_chat/eval/vqa/evaluate_vqa.py"),
                   ["relaxed_correctness", "evaluate_relaxed_accuracy", "evaluate_exact_match_accuracy"],
                   {"Optional": Optional})
    relaxed = []
    for pred, answers in RELAXED_CASES:
        pix = p2s["aggregate_metrics"]([answers], [pred], p2s["relaxed_correctness"]) / 100.0
        internvl = ns["evaluate_relaxed_accuracy"]([{"answer": pred, "annotation": list(answers)}])
        relaxed.append({"prediction": pred, "answers": answers, "pix2struct": float(pix),
                        "internvl": float(internvl)})
    exact = []
    convert = os.path.join(src, "InternVL/internvl_chat/eval/vqa/convert_gqa_for_eval.py")
    with tempfile.TemporaryDirectory() as tmp:
        srcf, dstf = os.path.join(tmp, "src.json"), os.path.join(tmp, "dst.json")
        json.dump([{"questionId": i, "answer": p} for i, (p, _) in enumerate(EXACT_CASES)], open(srcf, "w"))
        subprocess.run([sys.executable, convert, "--src", srcf, "--dst", dstf], check=True)
        converted = {r["questionId"]: r["prediction"] for r in json.load(open(dstf))}
    for i, (pred, answers) in enumerate(EXACT_CASES):
        strip_lower = ns["evaluate_exact_match_accuracy"]([{"answer": pred, "annotation": list(answers)}])
        # GQA's eval.py then compares the converted prediction with the gold answer as is.
        gqa = max(1.0 if converted[i] == a else 0.0 for a in answers)
        exact.append({"prediction": pred, "answers": answers, "strip_lower": strip_lower, "gqa": gqa})
    return relaxed, exact


# ---------------------------------------------------------------------------------- POPE, MME

POPE_ANSWERS = [
    "Yes, there is a dog.", "No.", "There is not a dog in the image.", "yes", "Nope", "NO",
    "no, there isn't", "I think no.", "Yes. No.", "not", "No", "The answer is no", "", "yes,no",
    "Yes there is", "no", "no", "yes", "No, not at all", "maybe",
]


def pope_cases(src):
    ns = load_defs(os.path.join(src, "LLaVA/llava/eval/eval_pope.py"), ["eval_pope"], {"json": json})
    rng = np.random.default_rng(6)
    categories = ["adversarial", "popular", "random"]
    items = []
    for k in range(60):
        items.append({"question_id": k, "category": categories[k % 3],
                      "answer": POPE_ANSWERS[int(rng.integers(len(POPE_ANSWERS)))],
                      "label": "yes" if rng.random() < 0.5 else "no"})
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for cat in categories:
            cur = [dict(question_id=x["question_id"], text=x["answer"]) for x in items if x["category"] == cat]
            label_file = os.path.join(tmp, f"coco_pope_{cat}.json")
            with open(label_file, "w") as f:
                for x in items:
                    if x["category"] == cat:
                        f.write(json.dumps({"question_id": x["question_id"], "label": x["label"]}) + "\n")
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                ns["eval_pope"](cur, label_file)
            printed = dict(re.findall(r"^(Accuracy|Precision|Recall|F1 score|Yes ratio): (\S+)$", buf.getvalue(), re.M))
            results[cat] = {k: float(v) for k, v in printed.items()}
            for x, parsed in zip([x for x in items if x["category"] == cat], cur):
                x["parsed"] = parsed["text"]
    return {"items": items, "per_category": results,
            "mean_f1": sum(r["F1 score"] for r in results.values()) / len(results)}


MME_ANSWERS = ["Yes", "No", "yes", "no", "Yes, it is.", "No, it is not.", "not sure", "nope",
               "The answer is yes", "YES!", "noyes", "yesno", "ok", "n", "  yes"]


def mme_cases(src):
    ns = load_defs(os.path.join(src, "InternVL/internvl_chat/eval/mme/calculation.py"),
                   ["calculate_metrics"], {})
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_score, recall_score
    ns.update(accuracy_score=accuracy_score, confusion_matrix=confusion_matrix,
              precision_score=precision_score, recall_score=recall_score, os=os)
    calc = ns["calculate_metrics"]()
    perception = ["existence", "count", "position", "color", "posters", "celebrity", "scene",
                  "landmark", "artwork", "OCR"]
    cognition = ["commonsense_reasoning", "numerical_calculation", "text_translation", "code_reasoning"]
    ns["eval_type_dict"] = {"Perception": perception, "Cognition": cognition}
    rng = np.random.default_rng(7)
    items = []
    with tempfile.TemporaryDirectory() as tmp:
        for task in perception + cognition:
            with open(os.path.join(tmp, task + ".txt"), "w") as f:
                for img in range(3):
                    for q in range(2):
                        gt = "Yes" if q == 0 else "No"
                        ans = MME_ANSWERS[int(rng.integers(len(MME_ANSWERS)))]
                        f.write(f"{task}_{img}.png\tquestion {q}?\t{gt}\t{ans}\n")
                        items.append({"question_id": f"{task}/{img}/{q}", "category": task,
                                      "image": f"{task}_{img}.png", "label": gt, "answer": ans,
                                      "parsed": calc.parse_pred_ans(ans.lower())})
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            calc.process_result(tmp)
    text = buf.getvalue()
    totals = [float(x) for x in re.findall(r"total score: (\S+)", text)]
    subtasks = {name: float(v) for name, v in re.findall(r"^\t (\S+)  score: (\S+)$", text, re.M)}
    return {"items": items, "perception": totals[0], "cognition": totals[1], "subtasks": subtasks}


# ------------------------------------------------------------------------------------- GenEval

def geneval_cases(src):
    path = os.path.join(src, "geneval/evaluation/evaluate_images.py")
    ns = load_defs(path, ["COLORS", "compute_iou", "relative_position", "evaluate", "evaluate_image"],
                   {"np": np, "json": json})
    ns.update(THRESHOLD=0.3, COUNTING_THRESHOLD=0.9, MAX_OBJECTS=16, NMS_THRESHOLD=1.0,
              POSITION_THRESHOLD=0.1)
    classnames = [l.strip() for l in open(os.path.join(src, "geneval/evaluation/object_names.txt"))]
    ns["classnames"] = classnames
    ns["object_detector"] = None
    ns["Image"] = types.SimpleNamespace(open=lambda p: p)
    ns["ImageOps"] = types.SimpleNamespace(exif_transpose=lambda im: im)
    metadata_rows = [json.loads(l) for l in open(os.path.join(src, "geneval/prompts/evaluation_metadata.jsonl"))]
    rng = np.random.default_rng(11)

    current = {}

    def inference_detector(_model, _filepath):
        return current["bbox"]

    def color_classification(_image, found_objects, _classname):
        return [current["colors"][tuple(np.round(obj[0][:5], 6))] for obj in found_objects]

    ns["inference_detector"] = inference_detector
    ns["color_classification"] = color_classification
    colors = ns["COLORS"]

    def random_detections(metadata):
        wanted = [c["class"] for c in metadata.get("include", [])] + [c["class"] for c in metadata.get("exclude", [])]
        dets = []
        for cls in wanted + [classnames[int(rng.integers(len(classnames)))]]:
            for _ in range(int(rng.integers(0, 5))):
                x1, y1 = rng.uniform(0, 400, 2)
                w, h = rng.uniform(10, 200, 2)
                score = float(rng.choice([rng.uniform(0, 1), 0.3, 0.9, rng.uniform(0.85, 1)]))
                det = {"class": cls, "score": round(score, 6),
                       "box": [round(float(v), 3) for v in (x1, y1, x1 + w, y1 + h)]}
                det["color"] = colors[int(rng.integers(len(colors)))] if rng.random() < 0.8 else \
                    next((c.get("color") for c in metadata.get("include", []) if c["class"] == cls and "color" in c), colors[0])
                dets.append(det)
        return dets

    images = []
    picks = list(range(len(metadata_rows)))
    rng.shuffle(picks)
    for index in sorted(picks[:150]):
        metadata = metadata_rows[index]
        for sample in range(2):
            dets = random_detections(metadata)
            bbox = [np.zeros((0, 5), dtype=np.float32) for _ in classnames]
            current["colors"] = {}
            for d in dets:
                row = np.array(d["box"] + [d["score"]], dtype=np.float32)
                k = classnames.index(d["class"])
                bbox[k] = np.vstack([bbox[k], row[None]])
                current["colors"][tuple(np.round(row[:5], 6))] = d["color"]
            current["bbox"] = bbox
            result = ns["evaluate_image"](f"{index:05}/samples/{sample:05}.png", metadata)
            images.append({"index": index, "sample": sample, "detections": dets,
                           "correct": bool(result["correct"]), "tag": metadata["tag"],
                           "result": result})
    # summary_scores.py over the same results, unmodified (it reads object_names.txt next to it)
    with tempfile.TemporaryDirectory() as tmp:
        results = os.path.join(tmp, "results.jsonl")
        with open(results, "w") as f:
            for im in images:
                f.write(json.dumps(im.pop("result")) + "\n")
        out = subprocess.run([sys.executable, os.path.join(src, "geneval/evaluation/summary_scores.py"), results],
                             check=True, capture_output=True, text=True).stdout
    overall = float(re.search(r"Overall score \(avg. over tasks\): (\S+)", out).group(1))
    tags = {t: [int(a), int(b)] for t, a, b in re.findall(r"^(\w+)\s+= \S+% \((\d+) / (\d+)\)$", out, re.M)}
    correct_images = float(re.search(r"% correct images: (\S+)%", out).group(1))
    correct_prompts = float(re.search(r"% correct prompts: (\S+)%", out).group(1))
    return {"images": images, "overall": overall, "tags": tags,
            "correct_images_percent": correct_images, "correct_prompts_percent": correct_prompts}


# ----------------------------------------------------------------------------------------- FID

def frechet_mp50(mu1, s1, mu2, s2):
    """The same distance in 50-digit arithmetic (mpmath), to judge float64 results by."""
    import mpmath
    mpmath.mp.dps = 50
    values, vectors = mpmath.eigsy(mpmath.matrix(np.asarray(s1).tolist()))
    root = vectors * mpmath.diag([mpmath.sqrt(max(v, 0)) for v in values]) * vectors.T
    m = root * mpmath.matrix(np.asarray(s2).tolist()) * root
    values2, _ = mpmath.eigsy((m + m.T) / 2)
    trace_sqrt = sum(mpmath.sqrt(max(v, 0)) for v in values2)
    mean_term = sum((mpmath.mpf(a) - mpmath.mpf(b)) ** 2 for a, b in zip(mu1, mu2))
    return float(mean_term + sum(np.diag(s1)) + sum(np.diag(s2)) - 2 * trace_sqrt)


def fid_cases():
    from pytorch_fid.fid_score import calculate_frechet_distance
    rng = np.random.default_rng(5)
    cases = []
    cases.append({"name": "2d", "mu1": [0, 0], "sigma1": [[2, 1], [1, 2]], "mu2": [1, 2],
                  "sigma2": [[1, 0], [0, 3]],
                  "fid": float(calculate_frechet_distance(np.zeros(2), np.array([[2., 1], [1, 2]]),
                                                          np.array([1., 2]), np.diag([1., 3])))})
    # features -> statistics as pytorch-fid computes them (mean, np.cov rowvar=False)
    for name, n, d, rank in [("full_rank", 200, 12, 12), ("few_samples", 9, 16, 16), ("low_rank", 40, 10, 3)]:
        a = rng.normal(size=(n, rank)) @ rng.normal(size=(rank, d))
        b = rng.normal(size=(n, rank)) @ rng.normal(size=(rank, d)) * 0.7 + 0.3
        mu1, s1 = a.mean(axis=0), np.cov(a, rowvar=False)
        mu2, s2 = b.mean(axis=0), np.cov(b, rowvar=False)
        cases.append({"name": name, "features1": a.tolist(), "features2": b.tolist(),
                      "mu1": mu1.tolist(), "sigma1": s1.tolist(), "mu2": mu2.tolist(), "sigma2": s2.tolist(),
                      "fid": float(calculate_frechet_distance(mu1, s1, mu2, s2)),
                      "fid_mp50": frechet_mp50(mu1, s1, mu2, s2)})
    return cases


def resize_cases():
    import torch
    import torch.nn.functional as F
    from PIL import Image
    from cleanfid.resize import make_resizer
    rng = np.random.default_rng(3)
    out = []
    for (h, w), (oh, ow) in [((7, 5), (11, 13)), ((12, 9), (5, 4)), ((6, 6), (6, 6)), ((20, 3), (8, 8))]:
        img = rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
        t = torch.from_numpy(img).permute(2, 0, 1)[None].float() / 255.0
        bilinear = F.interpolate(t, size=(oh, ow), mode="bilinear", align_corners=False)[0].permute(1, 2, 0).numpy()
        clean = make_resizer("PIL", False, "bicubic", (ow, oh))(img)  # clean-fid's "clean" resize
        out.append({"image": img.tolist(), "height": oh, "width": ow,
                    "pytorch_fid_bilinear": (bilinear.astype(np.float64)).tolist(),
                    "clean_fid_bicubic": np.asarray(clean, dtype=np.float64).tolist()})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", required=True, help="folder holding the VQA, InternVL, pix2struct, LLaVA, geneval checkouts")
    ap.add_argument("--out", required=True, help="folder for the JSON fixtures")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    normalize, accuracy = vqa_cases(args.src)
    anls, p2s = anls_cases(args.src)
    relaxed, exact = relaxed_and_exact_cases(args.src, p2s)
    qa = {"vqa_normalize": normalize, "vqa_accuracy": accuracy, "anls": anls, "relaxed": relaxed,
          "exact": exact, "pope": pope_cases(args.src), "mme": mme_cases(args.src)}
    write(os.path.join(args.out, "qa_reference.json"), qa)
    write(os.path.join(args.out, "geneval_reference.json"), geneval_cases(args.src))
    frechet = fid_cases()
    write(os.path.join(args.out, "fid_reference.json"), {"frechet": frechet, "resize": resize_cases()})
    # statistics files exactly as pytorch-fid's save_fid_stats writes them (np.savez_compressed)
    few = next(c for c in frechet if c["name"] == "few_samples")
    np.savez_compressed(os.path.join(args.out, "fid_stats_a.npz"), mu=np.array(few["mu1"]), sigma=np.array(few["sigma1"]))
    np.savez_compressed(os.path.join(args.out, "fid_stats_b.npz"), mu=np.array(few["mu2"], dtype=np.float32),
                        sigma=np.array(few["sigma2"], dtype=np.float32))


def write(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
