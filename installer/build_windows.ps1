# Windows build by hand (CI does the same in .github/workflows/windows.yml). From the repository root:
#   powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1
# bundle → frozen selftest from "测试 目录" → size budget → installer\version.iss → setup program.
$ErrorActionPreference = "Stop"
py -3.11 installer\bootstrap.py setup
.\.venv\Scripts\python -m pip install -e ".[build]"
$env:PYTHONUTF8 = "1"
.\.venv\Scripts\python installer\build.py
if ($LASTEXITCODE -ne 0) { throw "installer\build.py failed ($LASTEXITCODE)" }
$iscc = Get-Command iscc -ErrorAction SilentlyContinue
if (-not $iscc) {
    $candidate = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"
    if (Test-Path $candidate) { $iscc = $candidate }
}
if ($iscc) {
    & $iscc installer\lzcenter.iss
    if ($LASTEXITCODE -ne 0) { throw "ISCC failed ($LASTEXITCODE)" }
} else {
    Write-Warning "Inno Setup 6 (ISCC.exe) not found: the bundle is in dist\lzcenter-desktop, no setup program built."
}
