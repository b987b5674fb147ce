#!/usr/bin/env python3
"""Makes the rehearsal scripts of the sample year (sessions/year/*.jsonl): the 2027 projects'
票决 at the fifth session (2026-12-18), the mid-year session (2027-07-16) and the year-end
session (2027-12-21). Deterministic: run it again and the files come out the same.
Each line is one action as `huiwu apply` reads it, with the time it happened."""
import csv, json, random, os

here = os.path.dirname(os.path.abspath(__file__))
roster = [r["id"] for r in csv.DictReader(open(os.path.join(here, "..", "hexi-roster.csv"), encoding="utf-8"))]

def t(day, hh, mm, ss=0):
    return f"{day}T{hh:02d}:{mm:02d}:{ss:02d}+08:00"

class Script:
    def __init__(self, name):
        self.name, self.lines = name, []
    def add(self, at, action, **kw):
        self.lines.append(json.dumps({"at": at, "action": action, **kw}, ensure_ascii=False))
    def write(self, header):
        with open(os.path.join(here, self.name), "w", encoding="utf-8") as f:
            for h in header:
                f.write(f"# {h}\n")
            f.write("\n".join(self.lines) + "\n")

def roll(s, at, leave, absent):
    for d in leave:
        s.add(at, "mark_attendance", deputy=d, status="leave")
    for d in absent:
        s.add(at, "mark_attendance", deputy=d, status="absent")
    s.add(at, "mark_unmarked", status="present")

# ---------------------------------------------------------------- the 票决, 2026-12-18
rng = random.Random(2027)
day = "2026-12-18"
s = Script("hexi-ballot.jsonl")
leave, absent = roster[5:15], roster[40:43]          # 10 on leave, 3 absent: 285 present
roll(s, t(day, 14, 20), leave, absent)
s.add(t(day, 14, 30), "start_item", item="open")
s.add(t(day, 14, 35), "finish_item", item="open")
s.add(t(day, 14, 35), "start_item", item="explain")
s.add(t(day, 14, 52), "finish_item", item="explain")
s.add(t(day, 14, 52), "start_item", item="scrutineers")
s.add(t(day, 14, 55), "record_vote", ballot="scrutineers/m1", yes=283, no=0, abstain=2, not_pressed=0)
s.add(t(day, 14, 55), "announce_ballot", ballot="scrutineers/m1")
s.add(t(day, 14, 56), "finish_item", item="scrutineers")
s.add(t(day, 14, 56), "start_item", item="ballot")
present = 285
s.add(t(day, 15, 0), "set_issued", ballot="ballot", issued=present)
s.add(t(day, 15, 12), "set_returned", ballot="ballot", returned=present)
# 赞成 likelihood per candidate P01..P15; ten clearly above half of all 298 deputies.
p_yes = [0.93, 0.88, 0.36, 0.84, 0.90, 0.79, 0.86, 0.31, 0.74, 0.81, 0.27, 0.24, 0.69, 0.33, 0.77]
yes = [0] * 15
for i in range(present):
    if i in (17, 203):
        marks = "Y" * 11 + "NNNN"                 # two papers with more 赞成 than places: void
    else:
        ys = [k for k in range(15) if rng.random() < p_yes[k]]
        ys.sort(key=lambda k: -p_yes[k])
        ys = set(ys[:10])
        marks = "".join("Y" if k in ys else rng.choice("NNNA") for k in range(15))
        for k in ys:
            yes[k] += 1
    m, sec = divmod(i * 6, 60)
    s.add(t(day, 15, 15 + m // 1, sec) if m < 45 else t(day, 16, m - 45, sec), "record_paper",
          ballot="ballot", serial=f"main-{i + 1:04d}", marks=marks)
s.add(t(day, 16, 5), "announce_ballot", ballot="ballot")
s.add(t(day, 16, 6), "finish_item", item="ballot")
s.add(t(day, 16, 6), "start_item", item="announce")
s.add(t(day, 16, 10), "finish_item", item="announce")
s.add(t(day, 16, 10), "start_item", item="close")
s.add(t(day, 16, 12), "finish_item", item="close")
s.write(["河西区第八届人民代表大会第五次会议:2027年度区政府民生实事项目票决(演练脚本,由 generate.py 生成)",
         "huiwu apply --session sessions/hexi-ballot.toml --db sessions/hexi-ballot.db sessions/year/hexi-ballot.jsonl"])

# The ten selected (past half of all 298) in rank order: the order they are carried and rated in.
ORDER = [f"P{k + 1:02d}" for k in sorted(range(15), key=lambda k: -yes[k]) if yes[k] * 2 > len(roster)]
assert len(ORDER) == 10 and len(set(yes)) == 15, (ORDER, yes)

def evaluation(s, day, hh, mm, present, weights, seed):
    """Papers of an evaluation of the ten projects (in rank order, as carried)."""
    r = random.Random(seed)
    s.add(t(day, hh, mm), "set_issued", ballot="rating", issued=present)
    s.add(t(day, hh, mm + 8), "set_returned", ballot="rating", returned=present)
    for i in range(present):
        marks = "".join(r.choices("SBUA", weights=w)[0] for w in weights)
        m, sec = divmod(i * 5, 60)
        s.add(t(day, hh, mm + 10 + m, sec) if mm + 10 + m < 60 else t(day, hh + 1, mm + 10 + m - 60, sec),
              "record_paper", ballot="rating", serial=f"main-{i + 1:04d}", marks=marks)

# ---------------------------------------------------------------- mid-year, 2027-07-16
day = "2027-07-16"
s = Script("hexi-midyear-2027.jsonl")
leave, absent = roster[20:31], roster[60:62]          # 11 on leave, 2 absent: 285 present
roll(s, t(day, 8, 50), leave, absent)
s.add(t(day, 9, 0), "start_item", item="open")
s.add(t(day, 9, 5), "finish_item", item="open")
s.add(t(day, 9, 5), "start_item", item="progress")
progress = {
    "P01": ("in_progress", "28个小区已开工19个,完成投资1.6亿元,占年度计划的55%。"),
    "P02": ("in_progress", "已完成加装电梯36台,另有21台在施工。"),
    "P04": ("in_progress", "健身驿站建成4个,健身步道完成9公里。"),
    "P05": ("done", "30个社区老年助餐点已全部建成并开始供餐。"),
    "P06": ("behind", "托育机构选址受限,新增托位仅210个,进度滞后于计划。"),
    "P07": ("in_progress", "25所学校周边设施改造完成14所,暑期集中施工其余11所。"),
    "P09": ("behind", "新增停车泊位860个,两处立体停车库尚未取得施工许可。"),
    "P10": ("in_progress", "3家社区卫生服务中心完成改造,2家正在施工。"),
    "P13": ("in_progress", "新建充电桩540个,城区公共充电网络初步成形。"),
    "P15": ("done", "15处易涝点整治工程已于汛前全部完工。"),
}
minute = 8
for p, (status, note) in progress.items():
    s.add(t(day, 9, minute), "add_project_note", project=p, text=note)
    s.add(t(day, 9, minute), "set_project_status", project=p, status=status,
          note="" if status != "behind" else "监督小组建议区政府专题研究")
    minute += 2
s.add(t(day, 9, 30), "finish_item", item="progress")
s.add(t(day, 9, 30), "start_item", item="supervision-report")
s.add(t(day, 9, 31), "finish_item", item="supervision-report")
s.add(t(day, 9, 31), "start_item", item="rating")
# S, B, U, A weights per project (rank order as carried)
weights = {
    "P01": (60, 30, 8, 2), "P02": (55, 33, 9, 3), "P04": (58, 32, 7, 3), "P05": (75, 20, 3, 2),
    "P06": (30, 38, 28, 4), "P07": (57, 34, 7, 2), "P09": (28, 36, 32, 4), "P10": (56, 33, 8, 3),
    "P13": (52, 36, 9, 3), "P15": (78, 18, 2, 2),
}
evaluation(s, day, 9, 32, 285, [weights[p] for p in ORDER], 716)
s.add(t(day, 10, 20), "announce_ballot", ballot="rating")
s.add(t(day, 10, 21), "finish_item", item="rating")
s.add(t(day, 10, 21), "start_item", item="close")
s.add(t(day, 10, 23), "finish_item", item="close")
s.write(["河西区第八届人民代表大会第六次会议(年中人代会):民生实事项目推进情况与满意度测评(演练脚本,由 generate.py 生成)",
         "数据库创建时从 sessions/hexi-ballot.db 结转项目(会议文件的 projects_from)",
         "huiwu apply --session sessions/hexi-midyear-2027.toml --db sessions/hexi-midyear-2027.db sessions/year/hexi-midyear-2027.jsonl"])

# ---------------------------------------------------------------- year-end, 2027-12-21
day = "2027-12-21"
s = Script("hexi-yearend-2027.jsonl")
leave, absent = roster[100:108], roster[150:151]      # 8 on leave, 1 absent: 289 present
roll(s, t(day, 14, 20), leave, absent)
s.add(t(day, 14, 30), "start_item", item="open")
s.add(t(day, 14, 35), "finish_item", item="open")
s.add(t(day, 14, 35), "start_item", item="completion")
done = {
    "P01": ("done", "28个小区改造全部完工,惠及居民1.1万户。"),
    "P02": ("done", "全年加装电梯82台,超额完成。"),
    "P04": ("done", "10个健身驿站、15.6公里健身步道建成开放。"),
    "P06": ("in_progress", "新增托位520个,其余80个随新建托育中心于明年3月投用。"),
    "P07": ("done", "25所学校周边交通安全设施改造全部完成。"),
    "P09": ("in_progress", "新增泊位2140个,立体停车库主体完工,年底前未能全部投用。"),
    "P10": ("done", "5家社区卫生服务中心标准化改造全部完成。"),
    "P13": ("done", "新建充电桩1260个。"),
}
minute = 38
for p, (status, note) in done.items():
    s.add(t(day, 14, minute), "add_project_note", project=p, text=note)
    s.add(t(day, 14, minute), "set_project_status", project=p, status=status, note="")
    minute += 2
s.add(t(day, 14, 58), "finish_item", item="completion")
s.add(t(day, 14, 58), "start_item", item="rating")
weights = {
    "P01": (72, 22, 4, 2), "P02": (74, 20, 4, 2), "P04": (70, 24, 4, 2), "P05": (80, 16, 2, 2),
    "P06": (45, 35, 16, 4), "P07": (73, 21, 4, 2), "P09": (40, 38, 18, 4), "P10": (70, 24, 4, 2),
    "P13": (66, 27, 5, 2), "P15": (82, 14, 2, 2),
}
evaluation(s, day, 15, 0, 289, [weights[p] for p in ORDER], 1221)
s.add(t(day, 15, 50), "announce_ballot", ballot="rating")
s.add(t(day, 15, 51), "finish_item", item="rating")
s.add(t(day, 15, 51), "start_item", item="close")
s.add(t(day, 15, 53), "finish_item", item="close")
s.write(["河西区第八届人民代表大会第七次会议:民生实事项目完成情况与年终满意度测评(演练脚本,由 generate.py 生成)",
         "数据库创建时从 sessions/hexi-midyear-2027.db 结转项目(会议文件的 projects_from)",
         "huiwu apply --session sessions/hexi-yearend-2027.toml --db sessions/hexi-yearend-2027.db sessions/year/hexi-yearend-2027.jsonl"])
