#!/bin/sh
# Writes the small Common Voice fixtures of the SpeechDataset tests: one language folder per
# TSV schema the releases have used. Rows are made up; the headers are the releases' own.
#   v4  (cv-corpus-4):  ... age gender accent
#   v8  (cv-corpus-8):  ... accent locale segment
#   v12 (cv-corpus-12): ... accents locale segment          (accent renamed)
#   v17 (cv-corpus-17): client_id path sentence_id sentence sentence_domain ... accents variant locale segment
# Run from this folder: sh make-fixtures.sh
set -eu
cd "$(dirname "$0")"
T="$(printf '\t')"

row() { # joins arguments with tabs
    out=""; sep=""
    for f in "$@"; do out="$out$sep$f"; sep="$T"; done
    printf '%s\n' "$out"
}

mk() { mkdir -p "$1/clips"; : > "$1/clips/.gitkeep"; }

d=cv-corpus-4-2019-12-10/en; mk $d
{ row client_id path sentence up_votes down_votes age gender accent
  row c1 common_voice_en_1.mp3 "Hello world." 2 0 twenties male us
  row c2 common_voice_en_2.mp3 '"Quoted," she said.' 3 1 "" "" ""
  row c1 common_voice_en_3.mp3 'A "quoted" word inside.' 2 0 twenties male us
} > $d/train.tsv
{ row client_id path sentence up_votes down_votes age gender accent
  row c3 common_voice_en_4.mp3 "Dev sentence" 2 0 "" female england
} > $d/dev.tsv

d=cv-corpus-8.0-2022-01-19/de; mk $d
{ row client_id path sentence up_votes down_votes age gender accent locale segment
  row d1 common_voice_de_10.mp3 "Guten Morgen, schöne Welt." 2 0 thirties female germany de ""
  row d2 common_voice_de_11.mp3 '"Ein Satz mit	Tab"' 2 0 "" "" "" de Benchmark
} > $d/validated.tsv
cp $d/validated.tsv $d/test.tsv

d=cv-corpus-12.0-2022-12-07/zh-HK; mk $d
{ row client_id path sentence up_votes down_votes age gender accents locale segment
  row h1 common_voice_zh-HK_20.mp3 "今日天氣好好。" 2 0 "" "" "香港" zh-HK ""
  row h2 common_voice_zh-HK_21.mp3 "我哋去飲茶" 3 0 fifties male "" zh-HK ""
} > $d/validated.tsv
{ row client_id path sentence up_votes down_votes age gender accents locale segment
  row h3 common_voice_zh-HK_22.mp3 "未驗證" 0 2 "" "" "" zh-HK ""
} > $d/invalidated.tsv

d=cv-corpus-17.0-2024-03-15/yue; mk $d
{ row client_id path sentence_id sentence sentence_domain up_votes down_votes age gender accents variant locale segment
  row y1 common_voice_yue_30.mp3 s30 "食咗飯未呀？" "" 2 0 "" "" "" "" yue ""
  row y2 common_voice_yue_31.mp3 s31 "Mixed 中英 text, ok" general 2 0 twenties female "廣州" "" yue ""
  row y3 common_voice_yue_32.mp3 s32 "" "" 2 0 "" "" "" "" yue ""
} > $d/train.tsv
{ row client_id path sentence_id sentence sentence_domain up_votes down_votes age gender accents variant locale segment
} > $d/dev.tsv
{ row client_id path sentence_id sentence sentence_domain up_votes down_votes age gender accents variant locale segment
  row y4 common_voice_yue_33.mp3 s33 "其他" "" 0 0 "" "" "" "" yue ""
} > $d/other.tsv
{ printf 'clip\tduration[ms]\n'; printf 'common_voice_yue_30.mp3\t2100\n'; } > $d/clip_durations.tsv
