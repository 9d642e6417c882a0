"""第五章 绩效评估 (第二十二条—第二十五条): evaluation rounds, results, experts, scores, packages and
consequences."""
