"""Test support: helpers shared by the test suite and scripts.

``tests.support.lo`` drives LibreOffice (through ``lo_worker.py`` under the system python)
to inspect, press buttons in and render workbooks. Import it as ``tests.support.lo`` with
the repository root on ``sys.path``.
"""
