# Windows build: virtual environment, PyInstaller bundle, frozen smoke test, Inno Setup installer.
# Run from the repository root in PowerShell:  powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1
$ErrorActionPreference = "Stop"
py -3.11 installer\bootstrap.py setup
.\.venv\Scripts\python -m pip install "pyinstaller>=6,<7"
.\.venv\Scripts\pyinstaller installer\lzcenter.spec --noconfirm --distpath dist --workpath build
# Frozen smoke test: temporary database, migrations, demo data, a PDF, the main window offscreen.
$env:QT_QPA_PLATFORM = "offscreen"
& dist\lzcenter-desktop\lzcenter-desktop.exe selftest
if ($LASTEXITCODE -ne 0) { throw "frozen selftest failed ($LASTEXITCODE)" }
Remove-Item Env:QT_QPA_PLATFORM
if (Get-Command iscc -ErrorAction SilentlyContinue) {
    iscc installer\lzcenter.iss
} else {
    Write-Warning "Inno Setup (iscc) not found: the bundle is in dist\lzcenter-desktop, no installer built."
}
